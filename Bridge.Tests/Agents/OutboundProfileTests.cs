using Bridge.Agents;
using Bridge.Agents.Prompts;

namespace Bridge.Tests.Agents;

/// <summary>An agent's outbound side in its profile: the variables a call gives it, and its voicemail message.</summary>
public sealed class OutboundProfileTests : IDisposable
{
    private readonly ProfileDocuments _documents = new();

    public void Dispose() => _documents.Dispose();

    private const string Reminders = """
        { "agents": [ { "name": "reminders", "default": true, "variables": ["patientName", "appointment"],
          "greeting": "Greet {{patientName}} about {{appointment}}.",
          "voicemailMessage": "Hello {{patientName}}, this is a reminder of {{appointment}}." } ] }
        """;

    [Fact]
    public void Declared_variables_fill_the_greeting_and_the_voicemail_message_and_a_missing_one_reads_as_unknown()
    {
        var agent = _documents.Catalog(Reminders).Default;
        var outbound = new PromptVariables("+15005550020", "+14155550100", agent.Name, DateTimeOffset.UnixEpoch, agent.TimeZone,
            new Dictionary<string, string> { ["patientName"] = "Ana", ["appointment"] = "Tuesday at 3 pm" });
        var inbound = new PromptVariables("+14155550100", "+15005550020", agent.Name, DateTimeOffset.UnixEpoch, agent.TimeZone);

        Assert.Equal(["patientName", "appointment"], agent.Variables.Order(StringComparer.Ordinal).Reverse());
        Assert.Equal("Greet Ana about Tuesday at 3 pm.", agent.Greeting!.Render(outbound));
        Assert.Equal("Hello Ana, this is a reminder of Tuesday at 3 pm.", agent.VoicemailMessage!.Render(outbound));
        Assert.Equal("Greet unknown about unknown.", agent.Greeting.Render(inbound));
    }

    [Theory]
    [InlineData("""{ "agents": [ { "name": "a", "default": true, "greeting": "Hi {{patientName}}" } ] }""", "agent 'a', greeting: unknown variable {{patientName}}")]
    [InlineData("""{ "agents": [ { "name": "a", "default": true, "variables": ["caller"] } ] }""", "agent 'a', variables: 'caller' is a built-in variable")]
    [InlineData("""{ "agents": [ { "name": "a", "default": true, "variables": ["2fast"] } ] }""", "agent 'a', variables: '2fast' must be 1-32 letters")]
    [InlineData("""{ "agents": [ { "name": "a", "default": true, "variables": ["x", "x"] } ] }""", "agent 'a', variables: lists a variable twice")]
    [InlineData("""{ "agents": [ { "name": "a", "default": true, "voicemailMessage": "Call {{dentist}}" } ] }""", "agent 'a', voicemailMessage: unknown variable {{dentist}}")]
    public void A_bad_outbound_field_is_refused_with_a_line_naming_the_agent_and_the_field(string json, string expected)
    {
        var read = _documents.Read(json);

        Assert.Null(read.Catalog);
        Assert.Contains(read.Errors, line => line.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Variables_travel_as_signed_stream_parameters_and_come_back_out()
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal) { ["callSid"] = "CA1", ["from"] = "+1" };

        OutboundVariables.AddTo(parameters, new Dictionary<string, string> { ["patientName"] = "Ana" });

        Assert.Equal("Ana", parameters["var.patientName"]);
        Assert.Equal(new Dictionary<string, string> { ["patientName"] = "Ana" }, OutboundVariables.FromStreamParameters(parameters));
    }
}
