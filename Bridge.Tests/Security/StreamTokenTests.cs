using Bridge.Security;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Security;

public sealed class StreamTokenTests
{
    private const string AuthToken = "f1e2d3c4b5a697887766554433221100";
    private const string CallSid = "CAfeedfacefeedfacefeedfacefeedface";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero));

    private Dictionary<string, string> IssueParameters(TimeSpan lifetime)
    {
        var parameters = new Dictionary<string, string>
        {
            [StreamToken.CallSidParameter] = CallSid,
            ["from"] = "+14155552671",
            ["to"] = "+15005550006",
        };
        parameters[StreamToken.ParameterName] = new StreamToken(AuthToken, _time).Issue(parameters, lifetime);
        return parameters;
    }

    [Fact]
    public void A_token_issued_by_the_webhook_verifies_on_another_instance_with_the_same_auth_token()
    {
        var parameters = IssueParameters(TimeSpan.FromSeconds(60));

        var check = new StreamToken(AuthToken, _time).Verify(parameters, CallSid);

        Assert.Equal(StreamTokenCheck.Valid, check);
    }

    [Fact]
    public void A_token_is_refused_once_its_lifetime_has_passed()
    {
        var parameters = IssueParameters(TimeSpan.FromSeconds(60));
        var verifier = new StreamToken(AuthToken, _time);

        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(StreamTokenCheck.Valid, verifier.Verify(parameters, CallSid));

        _time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(StreamTokenCheck.Expired, verifier.Verify(parameters, CallSid));
    }

    [Theory]
    [InlineData("from", "+14155550000")]
    [InlineData("to", "+15005550007")]
    [InlineData("callSid", "CAfeedfacefeedfacefeedfacefeedfacf")]
    public void Changing_any_signed_parameter_breaks_the_signature(string name, string value)
    {
        var parameters = IssueParameters(TimeSpan.FromSeconds(60));
        parameters[name] = value;

        Assert.Equal(StreamTokenCheck.BadSignature, new StreamToken(AuthToken, _time).Verify(parameters, value));
    }

    [Fact]
    public void Adding_a_parameter_breaks_the_signature()
    {
        var parameters = IssueParameters(TimeSpan.FromSeconds(60));
        parameters["persona"] = "admin";

        Assert.Equal(StreamTokenCheck.BadSignature, new StreamToken(AuthToken, _time).Verify(parameters, CallSid));
    }

    [Fact]
    public void Extending_the_expiry_breaks_the_signature()
    {
        var parameters = IssueParameters(TimeSpan.FromSeconds(60));
        var parts = parameters[StreamToken.ParameterName].Split('.');
        parameters[StreamToken.ParameterName] = $"{parts[0]}.{long.Parse(parts[1]) + 3600}.{parts[2]}";

        Assert.Equal(StreamTokenCheck.BadSignature, new StreamToken(AuthToken, _time).Verify(parameters, CallSid));
    }

    [Fact]
    public void A_token_for_one_call_is_refused_on_another_calls_stream()
    {
        var parameters = IssueParameters(TimeSpan.FromSeconds(60));

        var check = new StreamToken(AuthToken, _time).Verify(parameters, "CA00000000000000000000000000000000");

        Assert.Equal(StreamTokenCheck.CallSidMismatch, check);
    }

    [Fact]
    public void A_token_signed_with_another_auth_token_is_refused()
    {
        var parameters = IssueParameters(TimeSpan.FromSeconds(60));

        var check = new StreamToken("00000000000000000000000000000000", _time).Verify(parameters, CallSid);

        Assert.Equal(StreamTokenCheck.BadSignature, check);
    }

    [Theory]
    [InlineData("", StreamTokenCheck.Missing)]
    [InlineData("v1.abc.def", StreamTokenCheck.Malformed)]
    [InlineData("v2.1768478460.AAAA", StreamTokenCheck.Malformed)]
    [InlineData("v1.1768478460", StreamTokenCheck.Malformed)]
    [InlineData("v1.-5.AAAA", StreamTokenCheck.Malformed)]
    public void A_missing_or_malformed_token_is_named_as_such(string token, StreamTokenCheck expected)
    {
        var parameters = IssueParameters(TimeSpan.FromSeconds(60));
        parameters[StreamToken.ParameterName] = token;

        Assert.Equal(expected, new StreamToken(AuthToken, _time).Verify(parameters, CallSid));
    }

    [Fact]
    public void A_token_must_bind_a_call()
    {
        var issuer = new StreamToken(AuthToken, _time);

        Assert.Throws<ArgumentException>(() => issuer.Issue(new Dictionary<string, string> { ["from"] = "+1" }, TimeSpan.FromMinutes(1)));
    }
}
