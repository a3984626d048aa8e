package io.assay.invoker.limits;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A {@link RequestQuota} driven on a fake clock against a strict sliding-window endpoint, the way
 * {@link ModelLimiter} and the invoker drive it: {@code concurrency} calls at once, each reserving its
 * turn, sent when its caller wakes (late by a random delay, as threads on a loaded machine are),
 * reaching the endpoint after a random delay; the endpoint accepts at most {@code quota} requests
 * arriving in any window, answers an accepted one after {@code latency} and refuses the rest at once
 * with 429 (and, with {@code headers}, limit / remaining / reset); a refused call waits a second
 * ({@code Retry-After: 1}) and tries again. A cold client's first calls may be slower on their way and
 * their answers slower to be seen ({@link #coldCalls}, {@link #slowUntilMs}). Deterministic for a seed; no
 * threads.
 */
final class QuotaSimulation {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final long NAP = SECOND / 10;

    private final int quota;
    private final long latency;
    private final int concurrency;
    private final boolean headers;
    private final double lateMeanMs;
    private final double transitMeanMs;
    private final Random random;
    private final FakeTicker clock = new FakeTicker();
    private final RequestQuota requests;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final ArrayDeque<Long> admitted = new ArrayDeque<>();
    private long sequence;
    private int free;
    private int waiting;
    private int left;
    private int answered;
    private int refused;
    private long firstAnswer = -1;
    private long lastAnswer;
    private final List<Long> refusals = new ArrayList<>();
    private final List<long[]> quotas = new ArrayList<>();
    private long start;

    /**
     * @param quota requests the endpoint accepts in any second
     * @param latency the endpoint's time to answer an accepted request
     * @param concurrency calls at once
     * @param headers whether the endpoint sends rate-limit headers
     * @param lateMeanMs the mean of the (exponential) delay between a call's turn and its sending
     * @param transitMeanMs the mean of the (exponential) delay between sending and reaching the endpoint
     * @param seed the random seed
     */
    QuotaSimulation(
            int quota,
            Duration latency,
            int concurrency,
            boolean headers,
            double lateMeanMs,
            double transitMeanMs,
            long seed) {
        this.quota = quota;
        this.latency = latency.toNanos();
        this.concurrency = concurrency;
        this.headers = headers;
        this.lateMeanMs = lateMeanMs;
        this.transitMeanMs = transitMeanMs;
        this.random = new Random(seed);
        this.requests = new RequestQuota(Duration.ofSeconds(1), 0.02, Double.POSITIVE_INFINITY, clock);
    }

    /**
     * What a run gave: answered and refused requests, the accepted rate from the first answer to the last,
     * the quota, when the endpoint refused (ms from the start), when the last answer came (s from the start), and
     * each quota learned: {ms from the start, requests per window} (the first at the first 429).
     */
    record Result(
            int answered,
            int refused,
            double acceptedPerSecond,
            RequestQuota quota,
            List<Long> refusedAtMs,
            double lastAnswerSeconds,
            List<long[]> quotaAtMs) {
        /** Accepted rate / quota. */
        double ratio(int quota) {
            return acceptedPerSecond / quota;
        }

        /** Refused / all requests. */
        double refusedShare() {
            return (double) refused / (answered + refused);
        }
    }

    /** Runs {@code prompts} prompts to their answers. */
    Result run(int prompts) {
        start = clock.nanos();
        free = concurrency;
        left = prompts;
        waiting = 0;
        for (int i = 0; i < prompts; i++) {
            waiting++;
        }
        dispatch();
        while (!events.isEmpty()) {
            Event e = events.poll();
            clock.advance(Duration.ofNanos(e.at - clock.nanos()));
            e.action.run();
            double q = requests.quota();
            if (q < Double.POSITIVE_INFINITY && (quotas.isEmpty() || quotas.get(quotas.size() - 1)[1] != (long) q)) {
                quotas.add(new long[] {(clock.nanos() - start) / MS, (long) q});
            }
        }
        double rate = (answered - 1) / ((lastAnswer - firstAnswer) / (double) SECOND);
        return new Result(
                answered,
                refused,
                rate,
                requests,
                List.copyOf(refusals),
                (lastAnswer - start) / (double) SECOND,
                List.copyOf(quotas));
    }

    /** Gives free concurrency slots to waiting prompts, as the semaphore of {@link ModelLimiter} does. */
    private void dispatch() {
        while (free > 0 && waiting > 0) {
            free--;
            waiting--;
            boolean concurrent = concurrency - free > 1;
            wake(requests.reserve(concurrent));
        }
    }

    private void wake(SlidingWindow.Turn turn) {
        long now = clock.nanos();
        if (turn.at() > now + NAP) {
            // ModelLimiter.acquire naps at most a tenth of the window, then reads its turn's time again.
            schedule(now + NAP, () -> wake(turn));
            return;
        }
        long at = paused(Math.max(turn.at(), now) + delay(lateMeanMs));
        schedule(at, () -> {
            if (turn.at() > clock.nanos()) {
                // A lower quota gave the turn a later time: sleep again, as ModelLimiter.acquire does.
                wake(turn);
                return;
            }
            long sent = clock.nanos();
            if (sent < lockedUntil) {
                // The caller has read the clock and waits for the quota's lock, which a 429's handler holds.
                schedule(lockedUntil, () -> send(turn, sent));
            } else {
                send(turn, sent);
            }
        });
    }

    /** The caller of {@code turn}, which read the clock at {@code sent}, has the quota's lock now. */
    private void send(SlidingWindow.Turn turn, long sent) {
        if (!requests.sent(turn, sent)) {
            // Taken back by a 429 taken in meanwhile: sleep again until the turn's new time.
            wake(turn);
            return;
        }
        long now = clock.nanos();
        long cold = sends++ < coldCalls ? coldMs * MS : 0;
        if (slowSendMs > 0 && now - start < slowUntilMs * MS) {
            cold += delay(slowSendMs);
        }
        schedule(stalled(now + cold + delay(transitMeanMs)), () -> arrive(turn, sent));
    }

    private void arrive(SlidingWindow.Turn turn, long sentAt) {
        long now = clock.nanos();
        while (!admitted.isEmpty() && admitted.peekFirst() <= now - SECOND) {
            admitted.pollFirst();
        }
        if (admitted.size() >= quota) {
            refused++;
            refusals.add((now - start) / MS);
            RateLimits h = headers ? limits(now) : RateLimits.NONE;
            schedule(paused(now + delay(replyMeanMs)), () -> refusedSeen(turn, h));
            return;
        }
        admitted.addLast(now);
        RateLimits h = headers ? limits(now) : RateLimits.NONE;
        long seen = now + latency;
        schedule(paused(seen + answerDelay(seen)), () -> answerSeen(turn, sentAt, h));
    }

    private void answerSeen(SlidingWindow.Turn turn, long sentAt, RateLimits h) {
        if (clock.nanos() < lockedUntil) {
            schedule(lockedUntil, () -> answerSeen(turn, sentAt, h));
            return;
        }
        answered++;
        left--;
        if (firstAnswer < 0) {
            firstAnswer = clock.nanos();
        }
        lastAnswer = clock.nanos();
        requests.answered(turn, sentAt, h);
        free++;
        dispatch();
    }

    private void refusedSeen(SlidingWindow.Turn turn, RateLimits h) {
        if (clock.nanos() < lockedUntil) {
            schedule(lockedUntil, () -> handleRefusal(turn, h));
        } else if (lockStallMs > 0) {
            // The thread handling this 429 takes the quota's lock and is descheduled before it is done.
            lockedUntil = clock.nanos() + delay(lockStallMs);
            schedule(lockedUntil, () -> handleRefusal(turn, h));
        } else {
            handleRefusal(turn, h);
        }
    }

    private void handleRefusal(SlidingWindow.Turn turn, RateLimits h) {
        requests.refused(turn, h);
        free++;
        // Retry-After: 1, then the prompt waits for a slot again
        schedule(clock.nanos() + SECOND, () -> {
            waiting++;
            dispatch();
        });
        dispatch();
    }

    /**
     * The mean of the (exponential) time the thread handling a 429 holds the quota's lock, descheduled (a trace of
     * a real run at a load of 10-28 on two cores saw 110 ms): callers whose turns come due meanwhile read the
     * clock and wait for the lock, then go together.
     */
    double lockStallMs;

    private long lockedUntil = Long.MIN_VALUE;

    /** The mean of the (exponential) delay before the client sees a reply (its threads waking late). */
    double replyMeanMs;

    /**
     * Until {@code slowUntilMs} after the start, answers of accepted calls are seen later still, by 0.4 to 1.6
     * times {@code slowAnswerMs} (uniform; refusals are not): a cold client on a loaded machine, whose first
     * answers took 170-370 ms on a 100-ms endpoint in a real run, while a 429 comes back at once.
     */
    long slowUntilMs;

    double slowAnswerMs;

    /** Until {@code slowUntilMs}, calls also take an (exponential) delay of this mean on their way (connections opened). */
    double slowSendMs;

    private long answerDelay(long at) {
        long d = delay(replyMeanMs);
        if (slowAnswerMs > 0 && at - start < slowUntilMs * MS) {
            d += (long) ((0.4 + 1.2 * random.nextDouble()) * slowAnswerMs * MS);
        }
        return d;
    }

    private RateLimits limits(long now) {
        long reset = admitted.isEmpty() ? 0 : admitted.peekLast() + SECOND - now;
        long resetMs = Math.max(0, (reset + MS - 1) / MS);
        return new RateLimits(
                (long) quota, (long) (quota - admitted.size()), Duration.ofMillis(resetMs), null, null, null);
    }

    /**
     * A pause of the client's process (a stop-the-world collection: the invoker's first young collection took
     * 88-101 ms at 0.7-0.8 s into a real run, at the slow start's crossing) from {@code pauseAtMs} after the start,
     * {@code pauseMs} long: what its threads would do meanwhile (wake, send, see a reply) they do when it ends.
     */
    long pauseAtMs = -1;

    long pauseMs;

    private long paused(long at) {
        if (pauseAtMs < 0) {
            return at;
        }
        long from = start + pauseAtMs * MS;
        long to = from + pauseMs * MS;
        return at >= from && at < to ? to : at;
    }

    /** The first {@code coldCalls} calls take {@code coldMs} longer to arrive (a cold client opening connections). */
    int coldCalls;

    long coldMs;
    private int sends;

    /** Stalls of the endpoint (a pause of its process): what arrives during one is taken in at its end. */
    double stallEveryMs;

    double stallMeanMs;
    private long stallStart = -1;
    private long stallEnd = -1;

    private long stalled(long arrival) {
        if (stallEveryMs <= 0) {
            return arrival;
        }
        if (stallStart < 0) {
            stallStart = clock.nanos() + delay(stallEveryMs);
            stallEnd = stallStart + delay(stallMeanMs);
        }
        while (arrival >= stallEnd) {
            stallStart = stallEnd + delay(stallEveryMs);
            stallEnd = stallStart + delay(stallMeanMs);
        }
        return arrival >= stallStart ? stallEnd : arrival;
    }

    private long delay(double meanMs) {
        return meanMs <= 0 ? 0 : (long) (-Math.log(1 - random.nextDouble()) * meanMs * MS);
    }

    private void schedule(long at, Runnable action) {
        events.add(new Event(Math.max(at, clock.nanos()), sequence++, action));
    }

    private record Event(long at, long sequence, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(sequence, o.sequence);
        }
    }
}
