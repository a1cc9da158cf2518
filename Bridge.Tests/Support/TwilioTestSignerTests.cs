using Bridge.Tests.Security;

namespace Bridge.Tests.Support;

public sealed class TwilioTestSignerTests
{
    [Theory]
    [InlineData("twilio-docs-form-post")]
    [InlineData("voice-webhook")]
    [InlineData("stream-status-callback")]
    public void The_test_signer_reproduces_Twilios_own_signatures(string name)
    {
        var vector = TwilioSignatureVector.Named(name);

        Assert.Equal(vector.Signature, TwilioTestSigner.Sign(vector.AuthToken, vector.Url, vector.Form!));
    }
}
