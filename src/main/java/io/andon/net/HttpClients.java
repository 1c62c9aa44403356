package io.andon.net;

import okhttp3.Credentials;
import okhttp3.OkHttpClient;

import java.nio.charset.StandardCharsets;

/**
 * Builds the okhttp client of an {@link Endpoint}: its timeouts, its credentials on every request, and TLS
 * that trusts the site CA when one is configured (the JDK trust store otherwise).
 */
public final class HttpClients {
    private HttpClients() {}

    public static OkHttpClient build(Endpoint endpoint) {
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .connectTimeout(endpoint.connectTimeout())
                .readTimeout(endpoint.readTimeout())
                .writeTimeout(endpoint.readTimeout())
                .callTimeout(endpoint.callTimeout())
                // our own retry policy decides (idempotent calls only); okhttp's silent retry would double POSTs
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                // idle connections go before a server drops them: Armeria (Zipkin) closes them after 15 s idle, and a
                // request on such a dead pooled connection fails with "connection closed early" (no okhttp retry, above)
                .connectionPool(new okhttp3.ConnectionPool(5, 10, java.util.concurrent.TimeUnit.SECONDS));
        if ("http".equals(endpoint.url().getScheme()) && endpoint.caCertificate().isEmpty()) {
            // plain HTTP only (redirects are never followed, so no request of this client goes to https): okhttp
            // then skips building a TLS context, which loads and parses the JDK trust store on every client
            // (~0.1-0.3 s of console start on a slow machine, for each source)
            b.connectionSpecs(java.util.List.of(okhttp3.ConnectionSpec.CLEARTEXT));
        }
        endpoint.caCertificate().ifPresent(pem -> {
            SiteCa ca = SiteCa.load(pem);
            b.sslSocketFactory(ca.context().getSocketFactory(), ca.trustManager());
        });
        if (endpoint.auth() instanceof Endpoint.Auth.SecretFile) {
            // read per request: a rotated token or password is used at once
            b.addInterceptor(chain -> {
                String h = authorization(endpoint.auth().current());
                return chain.proceed(h == null ? chain.request() : chain.request().newBuilder().header("Authorization", h).build());
            });
        } else {
            String header = authorization(endpoint.auth());
            if (header != null) {
                b.addInterceptor(chain -> chain.proceed(chain.request().newBuilder().header("Authorization", header).build()));
            }
        }
        return b.build();
    }

    /** The Authorization header value, or null. Never logged: okhttp logs nothing unless told to. */
    public static String authorization(Endpoint.Auth auth) {
        return switch (auth) {
            case Endpoint.Auth.SecretFile f -> throw new IllegalArgumentException("resolve a secret file with current() first");
            case Endpoint.Auth.None n -> null;
            case Endpoint.Auth.Basic basic -> Credentials.basic(basic.user(), basic.password().reveal(), StandardCharsets.UTF_8);
            case Endpoint.Auth.Bearer bearer -> "Bearer " + bearer.token().reveal();
            case Endpoint.Auth.ApiKey key -> "ApiKey " + key.encoded().reveal();
        };
    }
}
