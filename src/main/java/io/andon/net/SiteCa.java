package io.andon.net;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * TLS that trusts a site's own CA (PEM, one or more certificates): shared by every client. The file is looked at
 * again at each handshake and re-read when it changed, so a server restarted on a new CA is trusted as soon as
 * the site puts the new CA certificate in place, without restarting the console (issue 21). A file that no longer
 * reads keeps the CA last read.
 */
public record SiteCa(SSLContext context, X509TrustManager trustManager) {

    public static SiteCa load(Path pem) {
        Reloading tm = new Reloading(pem, trustManager(pem));
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[]{tm}, null);
            return new SiteCa(ctx, tm);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use site CA " + pem + ": " + e.getMessage(), e);
        }
    }

    static X509ExtendedTrustManager trustManager(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) ks.setCertificateEntry("ca" + i++, c);
            if (i == 0) throw new IllegalArgumentException("no certificate in " + pem);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use site CA " + pem + ": " + e.getMessage(), e);
        }
    }

    /** Delegates to the trust manager of the file as it is now (modification time and size tell a change). */
    static final class Reloading extends X509ExtendedTrustManager {
        private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SiteCa.class);
        private final Path pem;
        private volatile X509ExtendedTrustManager delegate;
        private volatile String stamp;

        Reloading(Path pem, X509ExtendedTrustManager first) {
            this.pem = pem;
            this.delegate = first;
            this.stamp = stamp(pem);
        }

        private static String stamp(Path p) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                return a.lastModifiedTime().toMillis() + "/" + a.size() + "/" + a.fileKey();
            } catch (IOException e) {
                return "unreadable";
            }
        }

        private X509ExtendedTrustManager current() {
            String now = stamp(pem);
            if (!now.equals(stamp)) {
                synchronized (this) {
                    if (!now.equals(stamp)) {
                        try {
                            delegate = trustManager(pem);
                            log.info("site CA {} changed: trusting the new one", pem);
                        } catch (IllegalArgumentException e) {
                            log.warn("site CA {} changed but cannot be read, keeping the previous one: {}", pem, e.getMessage());
                        }
                        stamp = now;
                    }
                }
            }
            return delegate;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            current().checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            current().checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            current().checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            current().checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            current().checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            current().checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() { return current().getAcceptedIssuers(); }
    }
}
