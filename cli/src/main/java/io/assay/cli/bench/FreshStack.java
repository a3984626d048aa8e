package io.assay.cli.bench;

import io.assay.cli.kafka.ClientSettings;
import io.assay.cli.stack.LocalStack;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The frame every bench on a local stack shares: start the stack fresh (its progress printed to the
 * bench's output), measure with clients of the stack's own broker ({@link ClientSettings#useLocalStack}), and
 * stop the stack whatever the measurement did, also when the bench is interrupted (Ctrl-C, {@code kill}): a
 * shutdown hook stops it then.
 */
final class FreshStack {
    private FreshStack() {}

    /** What a bench measures once the stack is up. */
    @FunctionalInterface
    interface Measurement<T> {
        T run() throws InterruptedException;
    }

    /** Starts {@code stack} fresh, runs {@code measurement}, stops the stack; returns what it measured. */
    static <T> T around(LocalStack stack, PrintWriter out, Measurement<T> measurement) throws InterruptedException {
        out.println("Starting a fresh local stack in " + stack.home() + " (logs in "
                + stack.home().resolve("logs") + "):");
        out.flush();
        AtomicBoolean stopped = new AtomicBoolean();
        Thread onExit = new Thread(() -> stopOnce(stack, out, stopped), "assay-bench-stop");
        Runtime.getRuntime().addShutdownHook(onExit);
        // The bench's clients talk to the stack's own PLAINTEXT broker, whatever the shell says for a secured cluster.
        ClientSettings.useLocalStack(true);
        try {
            try (PrintStream progress = new PrintStream(new WriterOutput(out), true, StandardCharsets.UTF_8)) {
                stack.start(true, progress);
            }
            return measurement.run();
        } finally {
            ClientSettings.useLocalStack(false);
            stopOnce(stack, out, stopped);
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting: the hook runs and finds the stack stopped.
            }
        }
    }

    private static void stopOnce(LocalStack stack, PrintWriter out, AtomicBoolean stopped) {
        if (stopped.compareAndSet(false, true)) {
            out.println("Stopping the stack: " + String.join(", ", stack.stop()));
            out.flush();
        }
    }

    /** The stack's progress (a PrintStream) onto the bench's writer, decoded as UTF-8 at each flush. */
    private static final class WriterOutput extends OutputStream {
        private final PrintWriter out;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        WriterOutput(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            pending.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public void flush() {
            out.write(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
            out.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
