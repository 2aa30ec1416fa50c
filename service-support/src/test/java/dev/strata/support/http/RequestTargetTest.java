package dev.strata.support.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestTargetTest {

    private static final String GROUP = "0190f5a0-0000-7000-8000-000000000001";

    @Test
    void shouldFindTheGroupSegmentOfEveryPathBelowAGroup() {
        assertThat(RequestTarget.groupSegment("/groups/" + GROUP)).isEqualTo(GROUP);
        assertThat(RequestTarget.groupSegment("/groups/" + GROUP + "/things:batch"))
                .isEqualTo(GROUP);
        assertThat(RequestTarget.groupSegment("/groups/not-a-uuid/metrics")).isEqualTo("not-a-uuid");
    }

    @Test
    void shouldFindNoGroupWherePathNamesNone() {
        assertThat(RequestTarget.groupSegment("/groups")).isNull();
        assertThat(RequestTarget.groupSegment("/groups/")).isNull();
        assertThat(RequestTarget.groupSegment("/groupsx/" + GROUP)).isNull();
        assertThat(RequestTarget.groupSegment("/imports/" + GROUP)).isNull();
        assertThat(RequestTarget.groupSegment(null)).isNull();
    }

    @Test
    void shouldReadOnlyCanonicalUuidsAsGroupIds() {
        assertThat(RequestTarget.groupId(GROUP)).isEqualTo(UUID.fromString(GROUP));
        assertThat(RequestTarget.groupId("%30190f5a0-0000-7000-8000-000000000001"))
                .isEqualTo(UUID.fromString(GROUP));
        assertThat(RequestTarget.groupId(GROUP + "%00")).isNull();
        assertThat(RequestTarget.groupId("0190f5a0-0000-7000-8000-00000000000g"))
                .isNull();
        assertThat(RequestTarget.groupId("0190f5a0+0000-7000-8000-000000000001"))
                .isNull();
        assertThat(RequestTarget.groupId("1-1-1-1-1")).isNull();
        assertThat(RequestTarget.groupId("%zz")).isNull();
        assertThat(RequestTarget.groupId("%")).isNull();
    }

    @Test
    void shouldFindControlCharactersWrittenRawOrPercentEncoded() {
        assertThat(RequestTarget.controlCharacter("type=%00")).isEqualTo(5);
        assertThat(RequestTarget.controlCharacter("a=1&type=ab%1fcd")).isEqualTo(11);
        assertThat(RequestTarget.controlCharacter("x=%7F")).isEqualTo(2);
        assertThat(RequestTarget.controlCharacter("x=%7f")).isEqualTo(2);
        assertThat(RequestTarget.controlCharacter("x=a\tb")).isEqualTo(3);
        assertThat(RequestTarget.controlCharacter("/groups/a\u0000b")).isEqualTo(9);
    }

    @Test
    void shouldAcceptTextWithoutControlCharacters() {
        assertThat(RequestTarget.controlCharacter("type=blog_post&cursor=abc%3D&q=%20%C3%A9%25%200"))
                .isEqualTo(-1);
        assertThat(RequestTarget.controlCharacter("x=%2500")).isEqualTo(-1); // a literal "%00", not NUL
        assertThat(RequestTarget.controlCharacter("x=%0")).isEqualTo(-1);
        assertThat(RequestTarget.controlCharacter("")).isEqualTo(-1);
        assertThat(RequestTarget.controlCharacter(null)).isEqualTo(-1);
    }

    @Test
    void shouldNameThePlainParameterHoldingTheControlCharacter() {
        String query = "limit=5&type=%00&direction=both";
        assertThat(RequestTarget.parameterAt(query, RequestTarget.controlCharacter(query)))
                .isEqualTo("type");
        String inName = "ty%00pe=x";
        assertThat(RequestTarget.parameterAt(inName, RequestTarget.controlCharacter(inName)))
                .isNull();
        String oddName = "t%20y=%00";
        assertThat(RequestTarget.parameterAt(oddName, RequestTarget.controlCharacter(oddName)))
                .isNull();
    }

    @Test
    void shouldTellAWellFormedTargetFromOneQuarkusWouldRefuse() {
        assertThat(RequestTarget.wellFormed("/groups/x/things?cursor=abc%3D&type=a"))
                .isTrue();
        assertThat(RequestTarget.wellFormed("/me?x=%zz")).isFalse();
        assertThat(RequestTarget.wellFormed("/groups/x/connections?cursor=%%%")).isFalse();
        assertThat(RequestTarget.wellFormed(null)).isFalse();
    }

    @Test
    void shouldAcceptWhatAllowsJsonAndRefuseWhatDoesNot() {
        assertThat(RequestTarget.acceptsJson(null)).isTrue();
        assertThat(RequestTarget.acceptsJson("*/*")).isTrue();
        assertThat(RequestTarget.acceptsJson("application/xml, application/json;q=0.5"))
                .isTrue();
        assertThat(RequestTarget.acceptsJson("application/problem+json")).isTrue();
        assertThat(RequestTarget.acceptsJson("Application/*")).isTrue();
        assertThat(RequestTarget.acceptsJson("application/xml")).isFalse();
        assertThat(RequestTarget.acceptsJson("text/html, application/json;q=0")).isFalse();
        assertThat(RequestTarget.acceptsJson("application/json; q=0.0")).isFalse();
    }
}
