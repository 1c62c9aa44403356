package io.andon.settings;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Secrets in {@code secrets.enc} (AES-256-GCM), with the key in {@code secrets.key}; both files mode 0600 in the
 * user's config dir. Without a keyring this is what a desktop app can do: the secret is unreadable to other
 * users and never stored or exported in plain text.
 */
public final class EncryptedFileSecretStore implements SecretStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path dir;

    public EncryptedFileSecretStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public synchronized void put(String profile, String key, char[] secret) {
        Map<String, String> all = readAll();
        all.put(profile + "/" + key, new String(secret));
        writeAll(all);
    }

    @Override
    public synchronized Optional<char[]> get(String profile, String key) {
        return Optional.ofNullable(readAll().get(profile + "/" + key)).map(String::toCharArray);
    }

    @Override
    public synchronized void delete(String profile, String key) {
        Map<String, String> all = readAll();
        if (all.remove(profile + "/" + key) != null) writeAll(all);
    }

    @Override
    public java.util.Optional<Path> file() { return java.util.Optional.of(dir.resolve("secrets.enc")); }

    private byte[] key() throws IOException {
        Path k = dir.resolve("secrets.key");
        if (!Files.exists(k)) {
            byte[] b = new byte[32];
            RANDOM.nextBytes(b);
            writePrivate(k, b);
        }
        return Files.readAllBytes(k);
    }

    private Map<String, String> readAll() {
        Path f = dir.resolve("secrets.enc");
        if (!Files.exists(f)) return new HashMap<>();
        try {
            ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(f));
            byte[] iv = new byte[12];
            buf.get(iv);
            byte[] ct = new byte[buf.remaining()];
            buf.get(ct);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key(), "AES"), new GCMParameterSpec(128, iv));
            return JSON.readValue(c.doFinal(ct), new TypeReference<HashMap<String, String>>() {});
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read " + f + " (wrong key file or damaged): " + e.getClass().getSimpleName());
        }
    }

    private void writeAll(Map<String, String> all) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key(), "AES"), new GCMParameterSpec(128, iv));
            byte[] ct = c.doFinal(JSON.writeValueAsBytes(all));
            writePrivate(dir.resolve("secrets.enc"), ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed: " + e.getClass().getSimpleName());
        }
    }

    private static void writePrivate(Path file, byte[] data) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, data);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
