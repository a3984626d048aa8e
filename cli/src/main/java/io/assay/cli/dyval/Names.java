package io.assay.cli.dyval;

/** Variable names for graph nodes: a, b, ..., z, aa, ab, ... */
final class Names {
    private Names() {}

    static String of(int index) {
        StringBuilder name = new StringBuilder();
        int i = index;
        do {
            name.insert(0, (char) ('a' + i % 26));
            i = i / 26 - 1;
        } while (i >= 0);
        return name.toString();
    }
}
