package herald.triggers;

import herald.kernel.InvalidRequestException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a webhook may be sent. A URL is http(s) with a host; unless private targets are allowed (a setting, for
 * webhooks inside a VPC and for tests), a host is refused when it is written in an ambiguous numeric form (leading
 * zeros, octal, hex, fewer than four parts: forms that parsers read differently) or resolves to any address that is
 * not globally reachable: every block of IANA's IPv4 and IPv6 special-purpose registries (loopback, private,
 * carrier-grade NAT, link-local with the instance metadata service, benchmarking, documentation, 6to4, NAT64, Teredo,
 * IPv4-mapped and -compatible IPv6, unique-local, multicast, reserved). It is checked when the trigger is saved and
 * again at every delivery, since a name may resolve elsewhere later.
 *
 * <p>Stateless and thread-safe.
 */
public final class WebhookUrls {

    /** A dotted quad of decimal numbers without leading zeros: the one numeric IPv4 form every parser reads alike. */
    private static final Pattern CANONICAL_IPV4 = Pattern.compile(
            "^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");
    /** Looks like a number to some parser: digits, dots, and hex (0x...) only. */
    private static final Pattern NUMERIC_LOOKING = Pattern.compile("^(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]*))*\\.?$",
            Pattern.CASE_INSENSITIVE);

    /** IANA's IPv4 special-purpose blocks that are not globally reachable, and multicast and reserved space. */
    private static final List<Block> IPV4 = List.of(
            Block.of("0.0.0.0/8"), Block.of("10.0.0.0/8"), Block.of("100.64.0.0/10"), Block.of("127.0.0.0/8"),
            Block.of("169.254.0.0/16"), Block.of("172.16.0.0/12"), Block.of("192.0.0.0/24"), Block.of("192.0.2.0/24"),
            Block.of("192.31.196.0/24"), Block.of("192.52.193.0/24"), Block.of("192.88.99.0/24"),
            Block.of("192.168.0.0/16"), Block.of("192.175.48.0/24"), Block.of("198.18.0.0/15"),
            Block.of("198.51.100.0/24"), Block.of("203.0.113.0/24"), Block.of("224.0.0.0/4"), Block.of("240.0.0.0/4"));

    /** IANA's IPv6 special-purpose blocks that are not globally reachable, or that carry IPv4 (and so any of it). */
    private static final List<Block> IPV6 = List.of(
            Block.of("::/96"), // the unspecified and loopback addresses, and IPv4-compatible ones
            // (IPv4-mapped addresses, ::ffff:0:0/96, reach here as IPv4 ones: Java converts them)
            Block.of("64:ff9b::/96"), Block.of("64:ff9b:1::/48"), Block.of("100::/64"),
            Block.of("2001::/23"), Block.of("2001:db8::/32"), Block.of("2002::/16"), Block.of("3fff::/20"),
            Block.of("5f00::/16"), Block.of("fc00::/7"), Block.of("fe80::/10"), Block.of("fec0::/10"),
            Block.of("ff00::/8"));

    private WebhookUrls() {
    }

    static URI requireWellFormed(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidRequestException("action.url is not a URL: " + e.getMessage());
        }
        if (!("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                || uri.getHost() == null || uri.getUserInfo() != null) {
            throw new InvalidRequestException("action.url must be an http or https URL with a host and no user "
                    + "info, e.g. https://hooks.example.com/herald");
        }
        return uri;
    }

    /** Throws unless the URL may be called: well formed, and (unless allowed) on a public address. */
    public static URI requireAllowed(String url, boolean allowPrivate) {
        URI uri = requireWellFormed(url);
        if (allowPrivate) {
            return uri;
        }
        String host = uri.getHost();
        if (!host.startsWith("[") && NUMERIC_LOOKING.matcher(host).matches() && !CANONICAL_IPV4.matcher(host).matches()) {
            throw new InvalidRequestException("action.url's host '" + host + "' is a number in a form that parsers "
                    + "read differently (leading zeros, octal, hex or fewer than four parts); write the address as four "
                    + "decimal numbers, or use a name");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw new InvalidRequestException("action.url's host '" + host + "' does not resolve");
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                throw new InvalidRequestException("action.url's host '" + host + "' resolves to "
                        + address.getHostAddress() + ", which is not a public address (private, loopback, link-local, "
                        + "or another special-purpose block); webhooks go to public addresses (the "
                        + "AllowPrivateWebhookUrls setting lifts this)");
            }
        }
        return uri;
    }

    /** Whether an address is globally reachable: in no special-purpose, multicast or reserved block. */
    static boolean isPublic(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (Block block : address instanceof Inet6Address ? IPV6 : IPV4) {
            if (block.contains(bytes)) {
                return false;
            }
        }
        return !(address instanceof Inet4Address && Arrays.equals(bytes, new byte[] {-1, -1, -1, -1}));
    }

    /** An address block in CIDR notation. */
    private record Block(byte[] prefix, int length) {

        static Block of(String cidr) {
            int slash = cidr.indexOf('/');
            try {
                return new Block(InetAddress.getByName(cidr.substring(0, slash)).getAddress(),
                        Integer.parseInt(cidr.substring(slash + 1)));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(cidr, e);
            }
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            for (int bit = 0; bit < length; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((address[bit / 8] & mask) != (prefix[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
