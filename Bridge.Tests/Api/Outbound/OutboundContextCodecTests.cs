using System.Text;
using Bridge.Api.Outbound;
using Bridge.Security;
using Microsoft.Extensions.Options;

namespace Bridge.Tests.Api.Outbound;

/// <summary>An outbound call's context in its callback URLs: read back only as written, and unreadable on the way.</summary>
public sealed class OutboundContextCodecTests
{
    private static OutboundContextCodec Codec(string token = "0123456789abcdef0123456789abcdef") =>
        new(Options.Create(new TwilioOptions { AuthToken = token }));

    private static readonly OutboundCallContext Context = new("reminders",
        new Dictionary<string, string> { ["patientName"] = "Ana Lima" }, "https://crm.example.com/outcome", "scheduler");

    [Fact]
    public void A_context_comes_back_as_written_and_shows_nothing_of_its_variables_or_callback()
    {
        var encoded = Codec().Encode(Context);
        var decoded = Codec().Decode(encoded);

        Assert.NotNull(decoded);
        Assert.Equal("reminders", decoded.Agent);
        Assert.Equal("Ana Lima", decoded.Variables["patientName"]);
        Assert.Equal("https://crm.example.com/outcome", decoded.Callback);
        var visible = encoded + Encoding.UTF8.GetString(Convert.FromBase64String(encoded.Replace('-', '+').Replace('_', '/').PadRight((encoded.Length + 3) / 4 * 4, '=')));
        Assert.DoesNotContain("Ana", visible, StringComparison.Ordinal);
        Assert.DoesNotContain("crm.example.com", visible, StringComparison.Ordinal);
        Assert.True(encoded.Length < OutboundContextCodec.MaxEncodedLength);
    }

    [Fact]
    public void A_changed_context_or_one_sealed_for_another_account_is_refused()
    {
        var encoded = Codec().Encode(Context);
        var flipped = (encoded[10] == 'A' ? "B" : "A");

        Assert.Null(Codec().Decode(encoded[..10] + flipped + encoded[11..]));
        Assert.Null(Codec("fedcba9876543210fedcba9876543210").Decode(encoded));
        Assert.Null(Codec().Decode("not-a-context"));
        Assert.Null(Codec().Decode(null));
    }
}
