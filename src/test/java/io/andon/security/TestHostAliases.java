package io.andon.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.stream.Stream;

/**
 * Test JVMs only (registered in src/test/resources/META-INF/services): names under {@value #SUFFIX} resolve to
 * 127.0.0.1, everything else goes to the system resolver. The wrong-host-name cases need a name that reaches a
 * loopback service but is not in its certificate; /etc/hosts aliases differ per machine (a CI runner may have none),
 * and a case that can't run must not pass as "skipped".
 */
public final class TestHostAliases extends InetAddressResolverProvider {
    public static final String SUFFIX = ".andon-test";

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                if (host.toLowerCase(java.util.Locale.ROOT).endsWith(SUFFIX)) {
                    return Stream.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
                }
                return builtin.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                return builtin.lookupByAddress(addr);
            }
        };
    }

    @Override
    public String name() {
        return "andon test host aliases";
    }
}
