namespace Bridge.Tests.Tools.Emulator;

/// <summary>A whole conversation over HTTP/2: the output events arrive in the real model's order.</summary>
public sealed class ConversationTests
{
    [Fact]
    public async Task An_interactive_text_makes_it_speak_with_transcripts_around_its_audio_in_the_real_order()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator);
        await stream.SendAllAsync(TestEvents.Opening(outputRate: 16000));
        await stream.SendAsync(TestEvents.AudioContentStart(16000));
        await stream.SendAllAsync(TestEvents.InteractiveText("greeting-1", "Greet the caller."));

        var seen = new List<Bridge.Tests.Tools.Emulator.ResponseFrame>();
        await stream.ReadUntilAsync(f => f.EventName == "usageEvent", seen);
        await stream.SendAsync(TestEvents.ContentEnd(TestEvents.AudioContent));
        await stream.SendAsync(TestEvents.PromptEnd());
        await stream.SendAsync(TestEvents.SessionEnd());
        await stream.EndInputAsync();
        seen.AddRange(await stream.ReadToEndAsync());

        var names = seen.Select(Describe).Where(n => n != "audioOutput").ToList();
        Assert.Equal(
        [
            "completionStart",
            "contentStart TEXT ASSISTANT SPECULATIVE", "textOutput", "contentEnd TEXT PARTIAL_TURN",
            "contentStart AUDIO ASSISTANT", "contentEnd AUDIO END_TURN",
            "contentStart TEXT ASSISTANT FINAL", "textOutput", "contentEnd TEXT END_TURN",
            "usageEvent",
            "completionEnd",
        ], names);
        var audio = seen.Where(f => f.EventName == "audioOutput").Sum(f => Convert.FromBase64String(f.Str("content")!).Length) / 2;
        Assert.Equal(16000 * 400 / 1000, audio);
        Assert.Equal(0, emulator.Counters.OpenStreams);
    }

    [Fact]
    public async Task The_event_sequence_the_official_javascript_sdk_sent_is_accepted_in_full()
    {
        var golden = GoldenCapture.Load();
        await using var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator);

        await stream.SendAllAsync(golden.FrameEventJson("normal").Where(json => json.Length > 0));
        await stream.EndInputAsync();
        var frames = await stream.ReadToEndAsync();

        Assert.DoesNotContain(frames, f => f.IsException);
        Assert.Equal(golden.Frames("normal").Count, emulator.Counters.FramesReceived);
    }

    internal static string Describe(ResponseFrame frame)
    {
        if (frame.IsException)
        {
            return frame.ExceptionType!;
        }

        return frame.EventName switch
        {
            "contentStart" => $"contentStart {frame.Str("type")} {frame.Str("role")}{Stage(frame)}",
            "contentEnd" => $"contentEnd {frame.Str("type")} {frame.Str("stopReason")}",
            _ => frame.EventName!,
        };
    }

    private static string Stage(ResponseFrame frame) =>
        frame.Str("additionalModelFields") is { } fields
            ? " " + System.Text.Json.JsonDocument.Parse(fields).RootElement.GetProperty("generationStage").GetString()
            : "";
}
