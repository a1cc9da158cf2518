using Bridge.Agents;
using Bridge.Security;
using Bridge.Tests.Agents;
using Bridge.Tests.Support;

namespace Bridge.Tests.Api;

/// <summary>The voice webhook names the agent for the number called among the signed stream parameters.</summary>
public sealed class AgentSelectionTests : IDisposable
{
    private readonly ProfileDocuments _documents = new();
    private readonly ApiFactory _factory = new();

    public AgentSelectionTests() => _factory.With("Agents:Source", "file:" + _documents.Write(ProfileDocuments.Valid));

    public void Dispose()
    {
        _factory.Dispose();
        _documents.Dispose();
    }

    private async Task<Dictionary<string, string>> AnswerAsync(string to)
    {
        var form = WebhookForms.IncomingCall();
        form["To"] = to;
        var response = await _factory.CreateClient().SendAsync(
            TwilioTestSigner.SignedFormPost(ApiFactory.AuthToken, ApiFactory.PublicBaseUrl + "/webhook", "/webhook", form));
        return (await TwimlDocument.ReadAsync(response)).StreamParameters();
    }

    [Theory]
    [InlineData(ProfileDocuments.SalesNumber, "sales")]
    [InlineData(ProfileDocuments.SupportNumber, "support")]
    [InlineData("+15005559999", "front-desk")]
    public async Task The_agent_is_chosen_by_the_number_called_and_unknown_numbers_get_the_default(string to, string agent)
    {
        var parameters = await AnswerAsync(to);

        Assert.Equal(agent, parameters[AgentStreamParameter.Name]);
    }

    [Fact]
    public async Task The_agent_parameter_is_signed_by_the_stream_token()
    {
        var parameters = await AnswerAsync(ProfileDocuments.SalesNumber);

        var verifier = new StreamToken(ApiFactory.AuthToken, TimeProvider.System);
        Assert.Equal(StreamTokenCheck.Valid, verifier.Verify(parameters, WebhookForms.CallSid));
        Assert.Equal(StreamTokenCheck.BadSignature, verifier.Verify(parameters.With(AgentStreamParameter.Name, "support"), WebhookForms.CallSid));
        var without = parameters.Where(p => p.Key != AgentStreamParameter.Name).ToDictionary();
        Assert.Equal(StreamTokenCheck.BadSignature, verifier.Verify(without, WebhookForms.CallSid));
    }

    [Fact]
    public async Task Every_parameter_stays_within_Twilio_s_limit()
    {
        var parameters = await AnswerAsync(ProfileDocuments.SalesNumber);

        // Twilio: a custom parameter's name and value together may hold about 500 characters.
        Assert.All(parameters, p => Assert.True(p.Key.Length + p.Value.Length < 500, p.Key));
        Assert.True(AgentStreamParameter.Name.Length + Bridge.Agents.Profiles.AgentDocumentReader.MaxNameLength < 500);
    }

    [Fact]
    public async Task Without_profiles_no_agent_is_named()
    {
        _factory.With("Agents:Source", null);

        var parameters = await AnswerAsync(ProfileDocuments.SalesNumber);

        Assert.DoesNotContain(AgentStreamParameter.Name, parameters.Keys);
    }
}
