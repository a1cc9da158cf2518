using System.Text.Json;
using System.Text.Json.Nodes;
using Bridge.Emulator;

namespace Bridge.Tests.Tools.Emulator;

/// <summary>
/// The emulator calls any tool a prompt declares on a trigger (with the trigger's input, or one made from the tool's
/// schema), accepts Nova 2's SYSTEM_SPEECH text, keeps what each prompt declared, and names its refusals with a
/// request id as Bedrock does.
/// </summary>
public sealed class DeclaredToolsAndSystemSpeechTests
{
    private const string DestinationSchema =
        """{"type":"object","properties":{"destination":{"type":"string","enum":["billing","warehouse"]},"reason":{"type":"string"}},"required":["destination"]}""";

    private static string PromptStart(params (string Name, string Schema)[] tools) => TestEvents.Event("promptStart", new JsonObject
    {
        ["promptName"] = TestEvents.Prompt,
        ["textOutputConfiguration"] = new JsonObject { ["mediaType"] = "text/plain" },
        ["audioOutputConfiguration"] = new JsonObject
        {
            ["mediaType"] = "audio/lpcm", ["sampleRateHertz"] = 16000, ["sampleSizeBits"] = 16, ["channelCount"] = 1,
            ["voiceId"] = "tiffany", ["encoding"] = "base64", ["audioType"] = "SPEECH",
        },
        ["toolUseOutputConfiguration"] = new JsonObject { ["mediaType"] = "application/json" },
        ["toolConfiguration"] = new JsonObject
        {
            ["tools"] = new JsonArray([.. tools.Select(t => (JsonNode)new JsonObject
            {
                ["toolSpec"] = new JsonObject { ["name"] = t.Name, ["description"] = t.Name, ["inputSchema"] = new JsonObject { ["json"] = t.Schema } },
            })]),
        },
    });

    [Fact]
    public async Task A_trigger_without_input_calls_the_declared_tool_with_an_input_made_from_its_schema()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator);
        await stream.SendAllAsync([TestEvents.SessionStart(), PromptStart(("transfer_call", DestinationSchema))]);
        await stream.SendAsync(TestEvents.AudioContentStart(16000));

        await stream.SendAllAsync(TestEvents.InteractiveText("dtmf-1", "The caller pressed 0 on the phone's keypad."));
        var toolUse = await stream.ReadUntilAsync(f => f.EventName == "toolUse");

        Assert.Equal("transfer_call", toolUse.Str("toolName"));
        Assert.Equal("""{"destination":"billing"}""", toolUse.Str("content"));
    }

    [Fact]
    public async Task A_configured_trigger_calls_any_declared_tool_with_the_given_input()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.ToolTriggers =
            [new ToolTrigger { Contains = "pressed 7", ToolName = "order_status", Input = """{"orderNumber":"1042"}""" }]);
        await using var stream = await TestStream.OpenAsync(emulator);
        await stream.SendAllAsync([TestEvents.SessionStart(), PromptStart(("order_status", """{"type":"object"}"""), ("hang_up", """{"type":"object"}"""))]);
        await stream.SendAsync(TestEvents.AudioContentStart(16000));

        await stream.SendAllAsync(TestEvents.InteractiveText("dtmf-1", "The caller pressed 7 on the phone's keypad."));
        var toolUse = await stream.ReadUntilAsync(f => f.EventName == "toolUse");

        Assert.Equal(("order_status", """{"orderNumber":"1042"}"""), (toolUse.Str("toolName"), toolUse.Str("content")));
    }

    [Fact]
    public async Task System_speech_text_before_the_audio_is_accepted_and_kept_with_the_prompt()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator);
        await stream.SendAllAsync(TestEvents.Opening(16000, "hang_up"));
        await stream.SendAllAsync([
            TestEvents.TextContentStart("speech-1", "SYSTEM_SPEECH", interactive: false),
            TestEvents.TextInput("speech-1", "Transcribe Hindi in Devanagari."),
            TestEvents.ContentEnd("speech-1"),
            TestEvents.AudioContentStart(16000),
        ]);
        await stream.SendAllAsync(TestEvents.InteractiveText("greeting-1", "Greet the caller."));

        var spoken = await stream.ReadUntilAsync(f => f.EventName == "textOutput" && f.Str("role") == "ASSISTANT");

        Assert.Contains("speaking in reply to", spoken.Str("content"), StringComparison.Ordinal);
        var prompt = emulator.Prompts.Last!;
        Assert.Equal("Transcribe Hindi in Devanagari.", prompt.SystemSpeech);
        Assert.Equal("You are a helpful phone assistant.", prompt.SystemPrompt);
        Assert.Equal("hang_up", JsonDocument.Parse(prompt.PromptStartJson!).RootElement
            .GetProperty("toolConfiguration").GetProperty("tools")[0].GetProperty("toolSpec").GetProperty("name").GetString());
        Assert.Contains(prompt.Texts, t => t is { Role: "USER", Interactive: true, Text: "Greet the caller." });
    }

    [Fact]
    public async Task System_speech_text_after_the_audio_started_is_a_protocol_violation()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator);
        await stream.SendAllAsync(TestEvents.Opening(16000));
        await stream.SendAsync(TestEvents.AudioContentStart(16000));

        await stream.SendAsync(TestEvents.TextContentStart("speech-1", "SYSTEM_SPEECH", interactive: false));
        var frames = await stream.ReadToEndAsync();

        Assert.Equal("validationException", frames.Last().ExceptionType);
    }

    [Fact]
    public async Task A_refusal_carries_a_request_id_as_Bedrock_s_do()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = new HttpClient { DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await client.PostAsync(emulator.StreamUri(), new ByteArrayContent([]));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("MissingAuthenticationTokenException", response.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.True(Guid.TryParse(response.Headers.GetValues("x-amzn-RequestId").Single(), out _));
    }
}
