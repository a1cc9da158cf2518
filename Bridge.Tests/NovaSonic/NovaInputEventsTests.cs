using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Bridge.NovaSonic;
using Bridge.Tests.Bedrock;

namespace Bridge.Tests.NovaSonic;

public sealed class NovaInputEventsTests
{
    private static readonly IReadOnlyList<string> Recorded =
        GoldenCapture.Frames(GoldenCapture.Instance.Scenario("normal")).Where(f => f.EventJson is not null).Select(f => f.EventJson!).ToList();

    [Fact]
    public void The_start_sequence_and_close_serialise_as_the_aws_sdk_sent_them()
    {
        var events = new NovaInputEvents("prompt-1");
        var produced = new[]
        {
            NovaInputEvents.SessionStart(new NovaSonicOptions(), withTurnDetection: false),
            events.PromptStart("matthew", 24_000, []),
            events.TextContentStart("system-1", "SYSTEM", interactive: false),
            events.TextInput("system-1", "You are a helpful phone assistant."),
            events.ContentEnd("system-1"),
            events.AudioContentStart("audio-1", 16_000),
            null,
            events.ContentEnd("audio-1"),
            events.PromptEnd(),
            NovaInputEvents.SessionEnd(),
        };

        for (var i = 0; i < produced.Length; i++)
        {
            if (produced[i] is { } json)
            {
                Assert.Equal(Recorded[i], Encoding.UTF8.GetString(json));
            }
        }
    }

    [Fact]
    public void An_audio_event_serialises_as_the_aws_sdk_sent_it()
    {
        var recorded = Recorded[6];
        var pcm = Convert.FromBase64String(JsonDocument.Parse(recorded).RootElement
            .GetProperty("event").GetProperty("audioInput").GetProperty("content").GetString()!);
        var writer = new AudioInputWriter("prompt-1", "audio-1");
        var samples = MemoryMarshal.Cast<byte, short>(pcm);
        var buffer = new byte[writer.MaxLength(samples.Length)];

        var length = writer.Write(samples, buffer);

        Assert.Equal(recorded, Encoding.UTF8.GetString(buffer, 0, length));
    }

    [Fact]
    public void Nova_2_sessions_carry_turn_detection_and_tools_carry_their_schema_as_a_string()
    {
        var options = new NovaSonicOptions { EndpointingSensitivity = "HIGH" };
        var sessionStart = JsonDocument.Parse(NovaInputEvents.SessionStart(options, withTurnDetection: true)).RootElement;
        var promptStart = JsonDocument.Parse(new NovaInputEvents("p").PromptStart("tiffany", 8_000,
            [new NovaTool("hang_up", "Ends the call", """{"type":"object","properties":{}}""")])).RootElement;

        Assert.Equal("HIGH", sessionStart.GetProperty("event").GetProperty("sessionStart")
            .GetProperty("turnDetectionConfiguration").GetProperty("endpointingSensitivity").GetString());
        var start = promptStart.GetProperty("event").GetProperty("promptStart");
        var spec = start.GetProperty("toolConfiguration").GetProperty("tools")[0].GetProperty("toolSpec");
        Assert.Equal("hang_up", spec.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.String, spec.GetProperty("inputSchema").GetProperty("json").ValueKind);
        Assert.Equal("application/json", start.GetProperty("toolUseOutputConfiguration").GetProperty("mediaType").GetString());
        Assert.Equal(8_000, start.GetProperty("audioOutputConfiguration").GetProperty("sampleRateHertz").GetInt32());
    }

    [Fact]
    public void A_tool_result_is_a_tool_content_naming_the_tool_use()
    {
        var events = new NovaInputEvents("p");
        var start = JsonDocument.Parse(events.ToolContentStart("t-1", "use-42")).RootElement.GetProperty("event").GetProperty("contentStart");
        var result = JsonDocument.Parse(events.ToolResult("t-1", """{"ok":true}""")).RootElement.GetProperty("event").GetProperty("toolResult");

        Assert.Equal("TOOL", start.GetProperty("type").GetString());
        Assert.Equal("TOOL", start.GetProperty("role").GetString());
        Assert.Equal("use-42", start.GetProperty("toolResultInputConfiguration").GetProperty("toolUseId").GetString());
        Assert.Equal("""{"ok":true}""", result.GetProperty("content").GetString());
    }
}
