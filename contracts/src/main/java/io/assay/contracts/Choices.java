package io.assay.contracts;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The one resolver of multiple-choice items, shared by whoever renders, answers or scores them: the
 * choice order of a variant, the letters shown, and the way back from a shown letter (or a reference) to
 * the canonical choice. The prompt-generator renders through it, the simulator answers through it and the
 * judge's choice scorer undoes it, so the three can never disagree on which letter is which choice.
 *
 * <p><b>Permutations.</b> A permutation {@code p} says that shown position {@code i} holds canonical choice
 * {@code p[i]} ({@link Variant#permutation}); {@code null} or empty is canonical order. With
 * {@code shuffleChoices} a variant's permutation is {@link #permutation}: a Fisher–Yates shuffle whose
 * draws come from SHA-256, so any producer in any language can recompute it from the ids alone:
 *
 * <pre>
 * p = [0, 1, …, n−1]
 * for i = n−1 down to 1:
 *     h = SHA-256(UTF-8("choice-order␟" + benchmark + "␟" + itemId + "␟" + format + "␟" + sample + "␟" + i + "␟"))
 *     j = (the first 8 bytes of h, big-endian, unsigned) mod (i + 1)
 *     swap p[i], p[j]
 * </pre>
 *
 * <p>where ␟ is the unit separator U+001F and {@code sample} is written in decimal (the parts joined as
 * {@link Ids#hash} joins them). The template's version is not an input: re-versioning a prompt format
 * keeps its choice order, so the two versions differ in the template alone. The modulo's bias is below
 * 26/2⁶⁴ and ignored.
 */
public final class Choices {
    private static final String DOMAIN = "choice-order";
    /** A letter, optionally bracketed, prefixed or followed by a period, colon or parenthesis. */
    private static final Pattern LETTER =
            Pattern.compile("(?:(?:option|choice|answer)\\s*)?[(\\[]?([a-z])[)\\]]?[.:)]?");

    private Choices() {}

    /**
     * The shuffled order of {@code n} choices for one variant of one item (see the class comment for the
     * algorithm): shown position i holds canonical choice {@code result[i]}.
     *
     * @param benchmark the item's benchmark
     * @param itemId the item
     * @param variant the variant; its format and sample are inputs, its template version and any
     *     permutation it already carries are not
     * @param n the number of choices
     */
    public static List<Integer> permutation(String benchmark, String itemId, Variant variant, int n) {
        int[] p = IntStream.range(0, n).toArray();
        for (int i = n - 1; i >= 1; i--) {
            String h = Ids.hash(
                    DOMAIN,
                    benchmark,
                    itemId,
                    variant.format(),
                    Integer.toString(variant.sample()),
                    Integer.toString(i));
            long draw = Long.parseUnsignedLong(h.substring(0, 16), 16);
            int j = (int) Long.remainderUnsigned(draw, i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return IntStream.of(p).boxed().toList();
    }

    /** The order shown: {@code permutation} when it is one of {@code n}, canonical order when null or empty. */
    public static List<Integer> order(List<Integer> permutation, int n) {
        if (permutation == null || permutation.isEmpty()) {
            return IntStream.range(0, n).boxed().toList();
        }
        if (!isPermutation(permutation, n)) {
            throw new IllegalArgumentException("permutation " + permutation + " does not fit " + n + " choices");
        }
        return permutation;
    }

    /** Whether {@code order} holds each of 0..n−1 exactly once. */
    public static boolean isPermutation(List<Integer> order, int n) {
        if (order == null || order.size() != n) {
            return false;
        }
        Set<Integer> seen = new HashSet<>();
        for (Integer i : order) {
            if (i == null || i < 0 || i >= n || !seen.add(i)) {
                return false;
            }
        }
        return true;
    }

    /** The choices in the order shown. */
    public static List<String> shown(List<String> choices, List<Integer> permutation) {
        List<Integer> order = order(permutation, choices.size());
        List<String> out = new ArrayList<>(choices.size());
        order.forEach(c -> out.add(choices.get(c)));
        return List.copyOf(out);
    }

    /** The canonical choice shown at position {@code shown}. */
    public static int canonical(int shown, List<Integer> permutation, int n) {
        return order(permutation, n).get(shown);
    }

    /** The position canonical choice {@code canonical} is shown at: the inverse of {@link #canonical}. */
    public static int shownPosition(int canonical, List<Integer> permutation, int n) {
        int at = order(permutation, n).indexOf(canonical);
        if (at < 0) {
            throw new IllegalArgumentException("choice " + canonical + " is not among " + n);
        }
        return at;
    }

    /** The letter of position {@code index}: 0 is {@code A}. */
    public static String letter(int index) {
        return String.valueOf((char) ('A' + index));
    }

    /** Lettered choices in the order given, one per line ({@code A. first}); empty when there are none. */
    public static String lettered(List<String> shownChoices) {
        if (shownChoices == null || shownChoices.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < shownChoices.size(); i++) {
            if (i > 0) {
                text.append('\n');
            }
            text.append(letter(i)).append(". ").append(shownChoices.get(i));
        }
        return text.toString();
    }

    /**
     * The canonical choice a reference names: the text of a choice ({@link TextNormalizer}) first, since a
     * choice may itself be a letter or a numeral; else a canonical letter ({@code B}, {@code (b)},
     * {@code option B}); else none.
     */
    public static OptionalInt referenceIndex(String reference, List<String> choices) {
        String normalized = TextNormalizer.normalize(reference);
        if (normalized.isEmpty() || choices == null) {
            return OptionalInt.empty();
        }
        for (int i = 0; i < choices.size(); i++) {
            if (TextNormalizer.normalize(choices.get(i)).equals(normalized)) {
                return OptionalInt.of(i);
            }
        }
        return letterIndex(reference, choices.size());
    }

    /**
     * The index a letter names ({@code B}, {@code (b)}, {@code [B]}, {@code B.}, {@code B:}, {@code option B},
     * {@code choice (B)}, {@code answer B}; NFKC, any case, surrounding spaces ignored), when it is below
     * {@code n}; else none.
     */
    public static OptionalInt letterIndex(String text, int n) {
        String s = Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFKC)
                .toLowerCase(Locale.ROOT)
                .strip();
        Matcher letter = LETTER.matcher(s);
        if (!letter.matches()) {
            return OptionalInt.empty();
        }
        int index = letter.group(1).charAt(0) - 'a';
        return index < n ? OptionalInt.of(index) : OptionalInt.empty();
    }
}
