package herald.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import herald.kernel.InvalidRequestException;
import herald.kernel.Json;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TriggerFilterTest {

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    private static boolean matches(String filter, String event) throws Exception {
        Trigger trigger = new Trigger("t", json(filter), TriggerFilter.toPattern(json(filter)), Trigger.On.BOTH, true,
                Json.MAPPER.createObjectNode().put("type", "notify"), Instant.EPOCH, Instant.EPOCH, "a", null);
        return !TriggerMatcher.of(List.of(trigger)).matching(json(event)).isEmpty();
    }

    @Test
    void theSeedsFormReadsEventAsTopicAndOtherPathsInPayload() throws Exception {
        assertThat(TriggerFilter.toPattern(json("{\"event\":\"resource.ResourceCreated\",\"resource.type\":\"itemsvc.*\"}")))
                .isEqualTo("{\"topic\":[\"resource.ResourceCreated\"],\"payload\":{\"resource\":{\"type\":[{\"wildcard\":\"itemsvc.*\"}]}}}");
        String filter = "{\"event\":\"resource.ResourceCreated\",\"resource.type\":\"itemsvc.*\"}";
        assertThat(matches(filter, "{\"topic\":\"resource.ResourceCreated\",\"payload\":{\"resource\":{\"type\":\"itemsvc.Item\"}}}")).isTrue();
        assertThat(matches(filter, "{\"topic\":\"resource.ResourceCreated\",\"payload\":{\"resource\":{\"type\":\"custom.Thing\"}}}")).isFalse();
        assertThat(matches(filter, "{\"topic\":\"resource.ResourceUpdated\",\"payload\":{\"resource\":{\"type\":\"itemsvc.Item\"}}}")).isFalse();
        assertThat(matches("{\"project\":\"demo\",\"summary.entityId\":\"e1\",\"count\":3}",
                "{\"project\":\"demo\",\"summary\":{\"entityId\":\"e1\"},\"payload\":{\"count\":3}}")).isTrue();
    }

    @Test
    void eventBridgePatternsPassThrough() throws Exception {
        String event = "{\"topic\":\"render.done\",\"user\":\"ada\",\"payload\":{\"frames\":120,\"file\":\"a.EXR\"}}";
        assertThat(matches("{\"topic\":[{\"prefix\":\"render.\"}]}", event)).isTrue();
        assertThat(matches("{\"file\":[{\"suffix\":\".EXR\"}]}", event)).isTrue();
        assertThat(matches("{\"file\":[{\"equals-ignore-case\":\"A.exr\"}]}", event)).isTrue();
        assertThat(matches("{\"frames\":[{\"numeric\":[\">=\",100,\"<\",200]}]}", event)).isTrue();
        assertThat(matches("{\"frames\":[{\"numeric\":[\"<\",100]}]}", event)).isFalse();
        assertThat(matches("{\"user\":[{\"anything-but\":[\"bob\"]}]}", event)).isTrue();
        assertThat(matches("{\"missing\":[{\"exists\":false}]}", event)).isTrue();
        assertThat(matches("{\"$or\":[{\"user\":[\"bob\"]},{\"frames\":[120]}]}", event)).isTrue();
        assertThat(matches("{\"$or\":[{\"user\":[\"bob\"]},{\"frames\":[121]}]}", event)).isFalse();
        assertThat(matches("{\"payload\":{\"frames\":[120]}}", event)).isTrue();
    }

    @Test
    void aPatternEventRulerRefusesIsA400ThatSaysWhy() {
        for (String bad : List.of("{\"topic\":[{\"numeric\":[\"~\",1]}]}", "{\"topic\":[]}", "{}", "[]",
                "{\"a..b\":1}", "{\"$or\":[{\"a\":1}]}")) {
            assertThatThrownBy(() -> TriggerFilter.toPattern(json(bad))).as(bad)
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("filter");
        }
    }

    @Test
    void privateAndMetadataAddressesAreRefusedUnlessAllowed() throws Exception {
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:8080/", "http://10.1.2.3/",
                "http://192.168.0.1/", "http://[::1]/", "http://0.0.0.0/", "http://100.64.0.1/", "http://[fd00::1]/")) {
            assertThatThrownBy(() -> WebhookUrls.requireAllowed(url, false)).as(url)
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not a public address");
            assertThat(WebhookUrls.requireAllowed(url, true)).isNotNull();
        }
        assertThat(WebhookUrls.isPublic(InetAddress.getByName("93.184.216.34"))).isTrue();
        assertThatThrownBy(() -> WebhookUrls.requireAllowed("file:///etc/passwd", true)).hasMessageContaining("http");
        assertThatThrownBy(() -> WebhookUrls.requireAllowed("http://user:pw@example.com/", true)).hasMessageContaining("user");
    }

    /** Every non-public address form, as literals: nothing here resolves a name or sends anything anywhere. */
    @Test
    void everySpecialPurposeBlockAndEveryAmbiguousNumericFormIsRefused() {
        for (String host : List.of(
                // IPv4 special-purpose blocks
                "0.1.2.3", "10.0.0.1", "100.127.255.254", "127.0.0.2", "169.254.169.254", "172.31.255.1", "192.0.0.8",
                "192.0.2.1", "192.31.196.1", "192.52.193.1", "192.88.99.1", "192.168.255.255", "192.175.48.1",
                "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.255",
                "240.0.0.1", "255.255.255.255",
                // IPv6: loopback, unspecified, IPv4-mapped and -compatible, NAT64, discard, IETF, documentation, 6to4,
                // site-local, unique-local, link-local, multicast
                "[::1]", "[::]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::127.0.0.1]", "[::a9fe:a9fe]",
                "[64:ff9b::7f00:1]", "[64:ff9b:1::1]", "[100::1]", "[2001::1]", "[2001:db8::1]", "[2002:7f00:1::1]",
                "[3fff::1]", "[5f00::1]", "[fc00::1]", "[fd12:3456::1]", "[fe80::1]", "[fec0::1]", "[ff02::1]",
                // ambiguous numeric forms
                "0177.0.0.1", "0x7f.0.0.1", "0x7f000001", "2130706433", "127.1", "127.0.1", "010.0.0.1", "1.02.3.4",
                "017700000001", "0")) {
            String url = "http://" + host + "/hook";
            assertThatThrownBy(() -> WebhookUrls.requireAllowed(url, false)).as(url)
                    .isInstanceOf(InvalidRequestException.class);
        }
    }

    @Test
    void publicAddressesAreAllowed() throws Exception {
        for (String address : List.of("93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001::1")) {
            assertThat(WebhookUrls.isPublic(InetAddress.getByName(address))).as(address).isTrue();
        }
        assertThat(WebhookUrls.requireAllowed("https://93.184.216.34/hook", false)).isNotNull();
        assertThat(WebhookUrls.requireAllowed("https://[2606:4700:4700::1111]/hook", false)).isNotNull();
    }

    @Test
    void signaturesFollowTheStandardWebhooksExample() {
        // the example of the Standard Webhooks specification
        assertThat(WebhookSigner.signature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330L, "{\"test\": 2432232314}")).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assertThat(WebhookSigner.newSecret()).startsWith("whsec_").hasSize(6 + 32);
    }

    @Test
    void notifyFindsItsUsersInTheEvent() throws Exception {
        JsonNode event = json("{\"payload\":{\"user\":{\"id\":\"ada\"},\"team\":[\"bob\",\"eve\"]}}");
        assertThat(TriggerActions.users(json("{\"user_property\":\"payload.user.id\"}"), event)).containsExactly("ada");
        assertThat(TriggerActions.users(json("{\"user_property\":\"payload.team\"}"), event)).containsExactly("bob", "eve");
        assertThat(TriggerActions.users(json("{\"user_property\":\"payload.nobody\"}"), event)).isEmpty();
        assertThat(TriggerActions.users(json("{\"users\":[\"zed\"]}"), event)).containsExactly("zed");
        assertThat(new ArrayList<>(TriggerActions.users(json("{\"users\":[\"a\",\"a\"]}"), event))).containsExactly("a");
    }
}
