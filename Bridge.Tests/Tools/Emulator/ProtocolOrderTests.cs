using Bridge.Emulator.Faults;

namespace Bridge.Tests.Tools.Emulator;

/// <summary>Events out of Nova's order end the stream with a validationException frame, as the real service does.</summary>
public sealed class ProtocolOrderTests
{
    public static TheoryData<string, string[]> Violations => new()
    {
        { "promptStart before sessionStart", [TestEvents.PromptStart()] },
        { "sessionStart twice", [TestEvents.SessionStart(), TestEvents.SessionStart()] },
        { "contentStart before promptStart", [TestEvents.SessionStart(), TestEvents.AudioContentStart()] },
        { "audio input before its content started", [.. TestEvents.Opening(), TestEvents.AudioInput(new short[320])] },
        { "text input into the audio content", [.. TestEvents.Opening(), TestEvents.AudioContentStart(), TestEvents.TextInput(TestEvents.AudioContent, "hi")] },
        { "a second audio content", [.. TestEvents.Opening(), TestEvents.AudioContentStart(), TestEvents.AudioContentStart(16000, "audio-2")] },
        { "history after the audio started", [.. TestEvents.Opening(), TestEvents.AudioContentStart(), TestEvents.TextContentStart("history-1", "USER", interactive: false)] },
        { "history starting with ASSISTANT", [.. TestEvents.Opening(), TestEvents.TextContentStart("history-1", "ASSISTANT", interactive: false)] },
        { "a tool result for a toolUseId never issued", [.. TestEvents.Opening(16000, "hang_up"), TestEvents.AudioContentStart(), TestEvents.ToolContentStart("tool-1", "no-such-tool-use")] },
        { "contentEnd for a content never started", [.. TestEvents.Opening(), TestEvents.ContentEnd("nothing")] },
        { "a reused contentName", [.. TestEvents.Opening(), TestEvents.TextContentStart("system-1", "USER", interactive: true)] },
        { "promptEnd while the audio content is open", [.. TestEvents.Opening(), TestEvents.AudioContentStart(), TestEvents.PromptEnd()] },
        { "sessionEnd before promptEnd", [.. TestEvents.Opening(), TestEvents.SessionEnd()] },
        { "an output rate Nova does not offer", [TestEvents.SessionStart(), TestEvents.PromptStart(outputRate: 44100)] },
        { "an input rate Nova does not take", [.. TestEvents.Opening(), TestEvents.AudioContentStart(inputRate: 24000)] },
        { "an endpointing sensitivity Nova does not know", ["""{"event":{"sessionStart":{"turnDetectionConfiguration":{"endpointingSensitivity":"EXTREME"}}}}"""] },
        { "an unknown event", [TestEvents.SessionStart(), """{"event":{"promptBegin":{"promptName":"prompt-1"}}}"""] },
        { "an event not wrapped in {\"event\":...}", [TestEvents.SessionStart(), """{"promptStart":{"promptName":"prompt-1"}}"""] },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task A_protocol_violation_ends_the_stream_with_a_validation_exception(string violation, string[] events)
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator);

        await stream.SendAllAsync(events);
        var frames = await stream.ReadToEndAsync();

        var last = frames.LastOrDefault();
        Assert.True(last is { IsException: true }, $"{violation}: expected a validationException, got {string.Join(", ", frames)}");
        Assert.Equal(ExceptionTypes.Validation, last!.ExceptionType);
        Assert.Equal(ExceptionTypes.ValidationMessage, last.Message);
        Assert.Equal(1, emulator.Counters.ExceptionsSent);
    }

    [Fact]
    public async Task A_conversation_in_the_documented_order_with_history_ends_without_an_exception()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator);

        await stream.SendAllAsync(TestEvents.Opening());
        await stream.SendAllAsync([TestEvents.TextContentStart("history-1", "USER", false), TestEvents.TextInput("history-1", "Hi"), TestEvents.ContentEnd("history-1")]);
        await stream.SendAllAsync([TestEvents.TextContentStart("history-2", "ASSISTANT", false), TestEvents.TextInput("history-2", "Hello"), TestEvents.ContentEnd("history-2")]);
        await stream.SendAsync(TestEvents.AudioContentStart());
        await stream.SendAllAsync(TestAudio.AsEvents(TestAudio.Silence(16000, TimeSpan.FromMilliseconds(200)), 16000));
        await stream.SendAllAsync([TestEvents.ContentEnd(TestEvents.AudioContent), TestEvents.PromptEnd(), TestEvents.SessionEnd()]);
        await stream.EndInputAsync();
        var frames = await stream.ReadToEndAsync();

        Assert.DoesNotContain(frames, f => f.IsException);
        Assert.Equal(0, emulator.Counters.ExceptionsSent);
    }

    [Fact]
    public async Task A_history_message_over_1_KB_is_refused()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator);

        await stream.SendAllAsync(TestEvents.Opening());
        await stream.SendAllAsync([TestEvents.TextContentStart("history-1", "USER", false), TestEvents.TextInput("history-1", new string('a', 1025))]);
        var frames = await stream.ReadToEndAsync();

        Assert.Equal(ExceptionTypes.Validation, Assert.Single(frames).ExceptionType);
    }
}
