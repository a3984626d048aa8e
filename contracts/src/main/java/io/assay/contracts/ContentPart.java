package io.assay.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One part of a multimodal message (OpenAI chat format).
 *
 * @param type {@value #TEXT} or {@value #IMAGE_URL}
 * @param text the text of a {@code text} part
 * @param imageUrl the image of an {@code image_url} part
 */
public record ContentPart(
        String type, String text, @JsonProperty("image_url") ImageUrl imageUrl) {

    /** Part type of a text part. */
    public static final String TEXT = "text";
    /** Part type of an image part. */
    public static final String IMAGE_URL = "image_url";

    /** A text part. */
    public static ContentPart text(String text) {
        return new ContentPart(TEXT, text, null);
    }

    /** An image part with an http(s) or {@code data:} URL. */
    public static ContentPart image(String url) {
        return new ContentPart(IMAGE_URL, null, new ImageUrl(url, null));
    }

    /**
     * An image reference.
     *
     * @param url an http(s) URL or a {@code data:} URL
     * @param detail optional provider hint ({@code low}, {@code high}, {@code auto})
     */
    public record ImageUrl(String url, String detail) {}
}
