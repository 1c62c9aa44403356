package io.andon.net;

import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;

import java.net.URI;
import java.util.List;

/**
 * The one place an Elasticsearch low-level client is built from {@link Endpoint}s (the logs page and the
 * operator journal share it): timeouts, basic auth / API key / bearer, the site CA, and no redirects.
 */
public final class ElasticsearchRest {
    private ElasticsearchRest() {}

    /**
     * One cluster, one or more nodes (same credentials, CA and timeouts: those of the first endpoint).
     * Basic auth is sent as such, an {@link Endpoint.Auth.ApiKey} as {@code Authorization: ApiKey <base64 id:key>},
     * a bearer token (service account, OAuth2) as {@code Bearer}.
     */
    public static RestClient build(List<Endpoint> nodes) {
        if (nodes.isEmpty()) throw new IllegalArgumentException("no Elasticsearch node configured");
        Endpoint first = nodes.getFirst();
        HttpHost[] hosts = nodes.stream().map(e -> new HttpHost(e.url().getHost(), port(e.url()), e.url().getScheme())).toArray(HttpHost[]::new);
        var b = RestClient.builder(hosts).setRequestConfigCallback(rc -> rc
                .setConnectTimeout((int) first.connectTimeout().toMillis())
                .setSocketTimeout((int) first.readTimeout().toMillis()));
        BasicCredentialsProvider credentials = null;
        switch (first.auth()) {
            case Endpoint.Auth.Basic basic -> {
                credentials = new BasicCredentialsProvider();
                credentials.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials(basic.user(), basic.password().reveal()));
            }
            case Endpoint.Auth.ApiKey key -> b.setDefaultHeaders(new org.apache.http.Header[]{new BasicHeader("Authorization", "ApiKey " + key.encoded().reveal())});
            case Endpoint.Auth.Bearer token -> b.setDefaultHeaders(new org.apache.http.Header[]{new BasicHeader("Authorization", "Bearer " + token.token().reveal())});
            case Endpoint.Auth.None none -> { }
            case Endpoint.Auth.SecretFile f -> { } // read per request, below
        }
        // a token or password file is read per request: a rotated secret is used without a restart
        Endpoint.Auth fileAuth = first.auth() instanceof Endpoint.Auth.SecretFile ? first.auth() : null;
        SiteCa ca = first.caCertificate().map(SiteCa::load).orElse(null);
        BasicCredentialsProvider cp = credentials;
        // one callback: the builder keeps only the last one set
        b.setHttpClientConfigCallback(h -> {
            if (cp != null) h.setDefaultCredentialsProvider(cp);
            if (fileAuth != null) h.addInterceptorLast((org.apache.http.HttpRequestInterceptor) (req, ctx) -> {
                String v = HttpClients.authorization(fileAuth.current());
                if (v != null) req.setHeader("Authorization", v);
            });
            if (ca != null) h.setSSLContext(ca.context());
            // never follow a redirect: the credentials (basic or API key) would go wherever it points
            h.setRedirectStrategy(new org.apache.http.client.RedirectStrategy() {
                @Override public boolean isRedirected(org.apache.http.HttpRequest req, org.apache.http.HttpResponse resp, org.apache.http.protocol.HttpContext ctx) {
                    return false;
                }

                @Override public org.apache.http.client.methods.HttpUriRequest getRedirect(org.apache.http.HttpRequest req, org.apache.http.HttpResponse resp,
                                                                                        org.apache.http.protocol.HttpContext ctx) {
                    throw new IllegalStateException("redirects are not followed");
                }
            });
            return h;
        });
        return b.build();
    }

    public static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : ("https".equals(u.getScheme()) ? 443 : 80);
    }
}
