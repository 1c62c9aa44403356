package io.andon.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal's outbox: an append-only file of one JSON document per line, fsync'd on every append (an entry the
 * caller was told is recorded survives a crash or power loss), plus the byte offset up to which the store
 * confirmed delivery (its own small file, replaced atomically). Lines are handed out in order and only dropped
 * once confirmed; when everything is confirmed the file is emptied. A line cut off by a crash mid-append (no
 * newline at the end) was never acknowledged to its caller: it is moved to {@code .rejected} on open, not lost.
 */
final class DiskQueue implements AutoCloseable {
    /** One queued line: where it ends in the file (what {@link #confirm} takes), and its text. */
    record Line(long end, String text) {}

    private final Path file, offsetFile, rejectedFile;
    private final FileChannel channel;
    private final FileChannel lockChannel;
    private long delivered;
    private int count;

    DiskQueue(Path dir) throws IOException {
        Files.createDirectories(dir);
        this.file = dir.resolve("journal-queue.ndjson");
        this.offsetFile = dir.resolve("journal-queue.offset");
        this.rejectedFile = dir.resolve("journal-queue.rejected");
        // two consoles sharing one state dir would hand out the same lines twice: the second one is told so
        this.lockChannel = FileChannel.open(dir.resolve("journal-queue.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        java.nio.channels.FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException sameJvm) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("the journal queue in " + dir + " is in use by another console");
        }
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long size = channel.size();
        if (size > 0) {
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.read(last, size - 1);
            if (last.get(0) != '\n') {
                long cut = lastNewline(size) + 1;
                byte[] torn = new byte[(int) (size - cut)];
                channel.read(ByteBuffer.wrap(torn), cut);
                reject(new String(torn, StandardCharsets.UTF_8), "cut off by a crash while it was being written");
                channel.truncate(cut);
                channel.force(true);
            }
        }
        long off = 0;
        if (Files.exists(offsetFile)) {
            try {
                off = Long.parseLong(Files.readString(offsetFile).strip());
            } catch (NumberFormatException bad) {
                off = 0; // resend from the start: the store keeps one copy per id
            }
        }
        // the file was emptied after the offset was written (crash in between): nothing is pending
        delivered = off > channel.size() || off < 0 ? 0 : off;
        count = read(Integer.MAX_VALUE).size();
    }

    private long lastNewline(long size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1);
        for (long p = size - 1; p >= 0; p--) {
            b.clear();
            channel.read(b, p);
            if (b.get(0) == '\n') return p;
        }
        return -1;
    }

    synchronized void append(String jsonLine) throws IOException {
        if (jsonLine.indexOf('\n') >= 0) throw new IllegalArgumentException("a queued line must not contain a newline");
        ByteBuffer b = ByteBuffer.wrap((jsonLine + "\n").getBytes(StandardCharsets.UTF_8));
        long pos = channel.size();
        while (b.hasRemaining()) pos += channel.write(b, pos);
        channel.force(false);
        count++;
    }

    /** Up to {@code max} undelivered lines, oldest first. */
    synchronized List<Line> read(int max) throws IOException {
        List<Line> out = new ArrayList<>();
        long size = channel.size();
        long pos = delivered;
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        while (pos < size && out.size() < max) {
            buf.clear();
            int n = channel.read(buf, pos);
            if (n <= 0) break;
            for (int i = 0; i < n && out.size() < max; i++) {
                byte c = buf.get(i);
                if (c == '\n') {
                    out.add(new Line(pos + i + 1, line.toString(StandardCharsets.UTF_8)));
                    line.reset();
                } else {
                    line.write(c);
                }
            }
            pos += n;
            if (out.size() >= max) break;
        }
        return out;
    }

    /** The store has every line up to {@code end}: they are dropped (the file emptied once nothing is left). */
    synchronized void confirm(long end) throws IOException {
        if (end <= delivered) return;
        int confirmed = 0;
        for (Line l : read(Integer.MAX_VALUE)) if (l.end() <= end) confirmed++;
        delivered = end;
        count -= confirmed;
        if (delivered >= channel.size()) {
            channel.truncate(0);
            channel.force(true);
            delivered = 0;
            Files.deleteIfExists(offsetFile);
        } else {
            Path tmp = offsetFile.resolveSibling(offsetFile.getFileName() + ".tmp");
            try (FileChannel t = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                t.write(ByteBuffer.wrap(Long.toString(delivered).getBytes(StandardCharsets.US_ASCII)));
                t.force(true);
            }
            Files.move(tmp, offsetFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A line that can never be delivered (unreadable, or refused by the store as malformed): kept aside, not lost. */
    synchronized void reject(String line, String reason) throws IOException {
        String why = JournalCodec.JSON.createObjectNode().put("reason", reason).put("at", java.time.Instant.now().toString()).toString();
        Files.writeString(rejectedFile, why + "\n" + line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.SYNC);
    }

    synchronized int size() { return count; }

    Path rejectedFile() { return rejectedFile; }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
        lockChannel.close();
    }
}
