package io.andon.net;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a profile's user + secret become the Authorization header, without ever printing the secret. */
class EndpointAuthTest {
    @Test
    void profileUserPicksTheScheme() {
        char[] s = "s3cr3t-value".toCharArray();
        assertThat(Endpoint.Auth.of("ops", s)).isInstanceOf(Endpoint.Auth.Basic.class);
        assertThat(Endpoint.Auth.of("ApiKey", s)).isInstanceOf(Endpoint.Auth.ApiKey.class);
        assertThat(Endpoint.Auth.of(" bearer ", s)).isInstanceOf(Endpoint.Auth.Bearer.class);
        assertThat(Endpoint.Auth.of("", s)).isSameAs(Endpoint.Auth.NONE);
        assertThat(Endpoint.Auth.of("ops", new char[0])).isSameAs(Endpoint.Auth.NONE);
        assertThat(Endpoint.Auth.of("ops", null)).isSameAs(Endpoint.Auth.NONE);
    }

    @Test
    void elasticsearchApiKeyIsSentAsApiKeyNotBearer() {
        // Elasticsearch answers 401 to an API key sent as "Bearer": the health probe used to do that
        assertThat(HttpClients.authorization(Endpoint.Auth.apiKey("aWQ6a2V5".toCharArray()))).isEqualTo("ApiKey aWQ6a2V5");
        assertThat(HttpClients.authorization(Endpoint.Auth.bearer("tok".toCharArray()))).isEqualTo("Bearer tok");
        assertThat(HttpClients.authorization(Endpoint.Auth.basic("ops", "pw".toCharArray()))).isEqualTo("Basic b3BzOnB3");
        assertThat(HttpClients.authorization(Endpoint.Auth.NONE)).isNull();
    }

    @Test
    void noSecretInToString() {
        for (Endpoint.Auth a : new Endpoint.Auth[]{Endpoint.Auth.apiKey("s3cr3t-value".toCharArray()), Endpoint.Auth.basic("ops", "s3cr3t-value".toCharArray())}) {
            assertThat(a.toString()).doesNotContain("s3cr3t-value");
            assertThat(Endpoint.of("https://127.0.0.1:9200").withAuth(a).toString()).doesNotContain("s3cr3t-value");
        }
    }
}
