package io.andon.settings;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The desktop keyring through libsecret's {@code secret-tool}; the secret goes over stdin, never argv. */
final class KeyringSecretStore implements SecretStore {
    static boolean available() {
        try {
            Process p = new ProcessBuilder("secret-tool", "search", "service", "andon-probe").redirectErrorStream(true).start();
            return p.waitFor(3, TimeUnit.SECONDS) && p.exitValue() <= 1 && System.getenv("DBUS_SESSION_BUS_ADDRESS") != null;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void put(String profile, String key, char[] secret) {
        try {
            Process p = new ProcessBuilder("secret-tool", "store", "--label=Andon " + profile + " " + key, "service", "andon", "profile", profile, "key", key).start();
            try (OutputStream out = p.getOutputStream()) {
                out.write(new String(secret).getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("the keyring refused the secret");
        } catch (IOException e) {
            throw new IllegalStateException("keyring unavailable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Optional<char[]> get(String profile, String key) {
        try {
            Process p = new ProcessBuilder("secret-tool", "lookup", "service", "andon", "profile", profile, "key", key).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !s.isEmpty() ? Optional.of(s.toCharArray()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public void delete(String profile, String key) {
        try {
            new ProcessBuilder("secret-tool", "clear", "service", "andon", "profile", profile, "key", key).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException ignored) {
            // nothing to clear
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public java.util.Optional<java.nio.file.Path> file() { return java.util.Optional.empty(); }
}
