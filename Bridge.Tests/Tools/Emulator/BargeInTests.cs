using Bridge.Emulator.Agent;

namespace Bridge.Tests.Tools.Emulator;

/// <summary>Caller speech while the emulator speaks interrupts it the way Nova Sonic signals it.</summary>
public sealed class BargeInTests
{
    [Fact]
    public async Task Caller_speech_over_the_model_interrupts_it_with_both_signals_and_the_audio_stops()
    {
        await using var emulator = await TestEmulator.StartAsync(o =>
        {
            o.OutputSpeed = 1;
            o.SpokenTextDuration = TimeSpan.FromSeconds(3);
        });
        await using var stream = await TestStream.OpenAsync(emulator);
        await stream.SendAllAsync(TestEvents.Opening(16000));
        await stream.SendAsync(TestEvents.AudioContentStart(16000));
        await stream.SendAllAsync(TestEvents.InteractiveText("greeting-1", "Greet the caller."));
        await stream.ReadUntilAsync(f => f.EventName == "audioOutput");

        await stream.SendAllAsync(TestAudio.AsEvents(TestAudio.Tone(16000, TimeSpan.FromMilliseconds(200)), 16000));
        var seen = new List<ResponseFrame>();
        await stream.ReadUntilAsync(f => f.EventName == "contentEnd" && f.Str("type") == "TEXT", seen);

        Assert.Equal(
            ["contentEnd AUDIO INTERRUPTED", "contentStart TEXT ASSISTANT FINAL", "textOutput", "contentEnd TEXT INTERRUPTED"],
            seen.Select(ConversationTests.Describe).Where(n => n != "audioOutput"));
        Assert.Equal("""{ "interrupted" : true }""", seen.Single(f => f.EventName == "textOutput").Str("content"));
        Assert.Equal(ModelVoice.InterruptedText, seen.Single(f => f.EventName == "textOutput").Str("content"));
        var heard = seen.Where(f => f.EventName == "audioOutput").Sum(f => EchoAgentTests.Pcm(f.Str("content")!).Length);
        Assert.True(heard < 16000 * 2, $"{heard} samples were sent: the output did not stop");
    }

    [Fact]
    public async Task The_interrupting_speech_is_answered_once_it_ends()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.SpokenTextDuration = TimeSpan.FromSeconds(3));
        await using var stream = await TestStream.OpenAsync(emulator);
        await stream.SendAllAsync(TestEvents.Opening(16000));
        await stream.SendAsync(TestEvents.AudioContentStart(16000));
        await stream.SendAllAsync(TestEvents.InteractiveText("greeting-1", "Greet the caller."));
        await stream.ReadUntilAsync(f => f.EventName == "contentStart" && f.Str("type") == "AUDIO");

        var caller = TestAudio.Tone(16000, TimeSpan.FromMilliseconds(700)).Concat(TestAudio.Silence(16000, TimeSpan.FromMilliseconds(400))).ToArray();
        await stream.SendAllAsync(TestAudio.AsEvents(caller, 16000));
        await stream.ReadUntilAsync(f => f.EventName == "contentEnd" && f.Str("stopReason") == "INTERRUPTED" && f.Str("type") == "TEXT");
        var transcript = await stream.ReadUntilAsync(f => f.EventName == "textOutput" && f.Str("role") == "USER");

        Assert.Equal("[caller spoke for 0.7 s]", transcript.Str("content"));
    }

    [Fact]
    public async Task Caller_speech_while_the_model_is_silent_interrupts_nothing()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator);
        await stream.SendAllAsync(TestEvents.Opening(16000));
        await stream.SendAsync(TestEvents.AudioContentStart(16000));
        var caller = TestAudio.Tone(16000, TimeSpan.FromMilliseconds(500)).Concat(TestAudio.Silence(16000, TimeSpan.FromMilliseconds(400))).ToArray();

        await stream.SendAllAsync(TestAudio.AsEvents(caller, 16000));
        var seen = new List<ResponseFrame>();
        await stream.ReadUntilAsync(f => f.EventName == "usageEvent", seen);

        Assert.DoesNotContain(seen, f => f.Str("stopReason") == "INTERRUPTED");
    }
}
