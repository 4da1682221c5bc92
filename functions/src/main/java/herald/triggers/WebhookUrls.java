package herald.triggers;

import herald.kernel.InvalidRequestException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;

/**
 * Where a webhook may be sent. A URL is http(s) with a host; unless private targets are allowed (a setting, for
 * webhooks inside a VPC and for tests), a host that resolves to a loopback, private, link-local (the instance
 * metadata service, 169.254.169.254, above all), unique-local, multicast or unspecified address is refused, when
 * the trigger is saved and again at every delivery (a name may resolve elsewhere later).
 */
public final class WebhookUrls {

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
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new InvalidRequestException("action.url's host '" + uri.getHost() + "' does not resolve");
        }
        for (InetAddress address : addresses) {
            if (isPrivate(address)) {
                throw new InvalidRequestException("action.url's host '" + uri.getHost() + "' resolves to "
                        + address.getHostAddress() + ", a private, loopback or link-local address; webhooks go to "
                        + "public addresses (the AllowPrivateWebhookUrls setting lifts this)");
            }
        }
        return uri;
    }

    static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xFE) == 0xFC; // fc00::/7, unique local
        }
        int first = bytes[0] & 0xFF;
        int second = bytes[1] & 0xFF;
        return first == 0 || first == 100 && second >= 64 && second <= 127 // carrier-grade NAT
                || first == 192 && second == 0 && (bytes[2] & 0xFF) == 0 || first >= 240;
    }
}
