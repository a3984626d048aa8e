package io.assay.contracts;

/**
 * A chat message.
 *
 * @param role {@code system}, {@code user} or {@code assistant}
 * @param content a string or a list of parts
 */
public record Message(String role, Content content) {

    /** A system message. */
    public static Message system(String text) {
        return new Message("system", Content.of(text));
    }

    /** A user message. */
    public static Message user(String text) {
        return new Message("user", Content.of(text));
    }
}
