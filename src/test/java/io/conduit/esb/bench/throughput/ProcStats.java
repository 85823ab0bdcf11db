package io.conduit.esb.bench.throughput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CPU time and resident memory of another process, read from Linux's {@code /proc}: {@code /proc/<pid>/stat}
 * fields 14 and 15 (utime + stime, in clock ticks; {@code -Dclk.tck=$(getconf CLK_TCK)}, default 100) and
 * {@code VmRSS} of {@code /proc/<pid>/status}. Used by the throughput benchmark for "CPU ms per request" (the
 * delta over a run divided by the requests) and the largest RSS seen during a run ({@link RssSampler}).
 */
final class ProcStats {

    static final long CLK_TCK = Long.getLong("clk.tck", 100);

    private ProcStats() {
    }

    /** utime + stime of the process, in milliseconds of CPU (all its threads). */
    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command (field 2) is in parentheses and may hold spaces: count fields after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of the whole line
            return ticks * 1000 / CLK_TCK;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/" + pid + "/stat (has the process ended?)", e);
        }
    }

    /**
     * CPU of a PostgreSQL server, milliseconds: its postmaster (first line of {@code postmaster.pid} in its data
     * folder) and the postmaster's children (backends, background workers) alive now. A backend that ended between
     * two readings takes its CPU with it, so this is a little low when connections come and go. -1 if unknown.
     */
    static long postgresCpuMillis(Path dataDir) {
        try {
            long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
            long total = cpuMillis(postmaster);
            try (var procs = Files.list(Path.of("/proc"))) {
                for (Path proc : (Iterable<Path>) procs::iterator) {
                    String name = proc.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    try {
                        String stat = Files.readString(proc.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                        if (Long.parseLong(f[1]) == postmaster) {
                            total += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / CLK_TCK;
                        }
                    } catch (IOException | RuntimeException e) {
                        // gone meanwhile
                    }
                }
            }
            return total;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** VmRSS of the process in kB. */
    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/" + pid + "/status (has the process ended?)", e);
        }
    }

    /** The largest RSS of a process, sampled every 200 ms on a daemon thread from creation until {@link #stop()}. */
    static final class RssSampler {
        private final long pid;
        private final AtomicLong maxKb = new AtomicLong();
        private volatile boolean running = true;
        private final Thread thread;

        RssSampler(long pid) {
            this.pid = pid;
            sample();
            thread = new Thread(() -> {
                while (running) {
                    sample();
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
                }
            }, "rss-sampler-" + pid);
            thread.setDaemon(true);
            thread.start();
        }

        private void sample() {
            try {
                maxKb.accumulateAndGet(rssKb(pid), Math::max);
            } catch (RuntimeException e) {
                running = false;
            }
        }

        /** Stops sampling; the largest RSS seen, kB. */
        long stop() {
            running = false;
            sample();
            return maxKb.get();
        }
    }
}
