package io.andon.settings;

import java.util.Optional;

/**
 * Where passwords and tokens live: the OS keyring when there is one, otherwise an encrypted file only the user
 * can read. Never plain text, never in logs, never in an exported profile.
 */
public interface SecretStore {
    void put(String profile, String key, char[] secret);

    Optional<char[]> get(String profile, String key);

    void delete(String profile, String key);

    /** The file the secrets are kept in (encrypted); empty for the OS keyring. The settings page says which, in its language. */
    Optional<java.nio.file.Path> file();

    /** The keyring (libsecret's secret-tool) when it answers, else the encrypted file in the config dir. */
    static SecretStore forUser(java.nio.file.Path configDir) {
        if (KeyringSecretStore.available()) return new KeyringSecretStore();
        return new EncryptedFileSecretStore(configDir);
    }
}
