using System.Diagnostics;

namespace Bridge.Tests.Tools.Emulator;

/// <summary>The echo agent: each caller utterance comes back as a model turn, at the promptStart's output rate.</summary>
public sealed class EchoAgentTests
{
    [Theory]
    [InlineData(8000, 24000)]
    [InlineData(16000, 8000)]
    [InlineData(8000, 16000)]
    [InlineData(16000, 16000)]
    public async Task An_utterance_comes_back_with_its_transcripts_and_as_audio_at_the_output_rate(int inputRate, int outputRate)
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator);
        await stream.SendAllAsync(TestEvents.Opening(outputRate));
        await stream.SendAsync(TestEvents.AudioContentStart(inputRate));

        var caller = TestAudio.Tone(inputRate, TimeSpan.FromSeconds(1), frequency: 300).Concat(TestAudio.Silence(inputRate, TimeSpan.FromMilliseconds(500))).ToArray();
        await stream.SendAllAsync(TestAudio.AsEvents(caller, inputRate));
        var seen = new List<ResponseFrame>();
        await stream.ReadUntilAsync(f => f.EventName == "usageEvent", seen);

        Assert.Equal(
        [
            "completionStart",
            "contentStart TEXT USER FINAL", "textOutput", "contentEnd TEXT END_TURN",
            "contentStart TEXT ASSISTANT SPECULATIVE", "textOutput", "contentEnd TEXT PARTIAL_TURN",
            "contentStart AUDIO ASSISTANT", "contentEnd AUDIO END_TURN",
            "contentStart TEXT ASSISTANT FINAL", "textOutput", "contentEnd TEXT END_TURN",
            "usageEvent",
        ], seen.Select(ConversationTests.Describe).Where(n => n != "audioOutput"));
        var texts = seen.Where(f => f.EventName == "textOutput").Select(f => (f.Str("role"), f.Str("content"))).ToList();
        Assert.Equal(("USER", "[caller spoke for 1.0 s]"), texts[0]);
        Assert.Equal("ASSISTANT", texts[1].Item1);
        var audioStart = seen.Single(f => f.EventName == "contentStart" && f.Str("type") == "AUDIO");
        Assert.Equal(outputRate, audioStart.Event.GetProperty("audioOutputConfiguration").GetProperty("sampleRateHertz").GetInt32());

        var echo = seen.Where(f => f.EventName == "audioOutput").SelectMany(f => Pcm(f.Str("content")!)).ToArray();
        Assert.Equal(outputRate, echo.Length);
        var crossings = ZeroCrossings(echo.AsSpan(outputRate / 10, outputRate * 8 / 10));
        Assert.InRange(crossings, 2 * 300 * 0.8 * 0.97, 2 * 300 * 0.8 * 1.03);
    }

    [Fact]
    public async Task Audio_is_sent_faster_than_real_time_and_the_audio_content_stays_open_for_its_real_duration()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.OutputSpeed = 10);
        await using var stream = await TestStream.OpenAsync(emulator);
        await stream.SendAllAsync(TestEvents.Opening(16000));
        await stream.SendAsync(TestEvents.AudioContentStart(16000));
        var caller = TestAudio.Tone(16000, TimeSpan.FromSeconds(1.5)).Concat(TestAudio.Silence(16000, TimeSpan.FromMilliseconds(400))).ToArray();
        await stream.SendAllAsync(TestAudio.AsEvents(caller, 16000));

        await stream.ReadUntilAsync(f => f.EventName == "contentStart" && f.Str("type") == "AUDIO");
        var clock = Stopwatch.StartNew();
        var seen = new List<ResponseFrame>();
        await stream.ReadUntilAsync(f => f.EventName == "contentEnd" && f.Str("type") == "AUDIO", seen);
        var audioEnded = clock.Elapsed;

        Assert.Equal(16000 * 3 / 2, seen.Where(f => f.EventName == "audioOutput").Sum(f => Pcm(f.Str("content")!).Length));
        Assert.True(audioEnded >= TimeSpan.FromSeconds(1.3), $"the audio content ended after {audioEnded}, before the audio could have played");
    }

    [Fact]
    public async Task Silence_and_clicks_shorter_than_the_minimum_utterance_get_no_answer()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.MinimumUtterance = TimeSpan.FromMilliseconds(200));
        await using var stream = await TestStream.OpenAsync(emulator);
        await stream.SendAllAsync(TestEvents.Opening(16000));
        await stream.SendAsync(TestEvents.AudioContentStart(16000));
        var caller = TestAudio.Silence(16000, TimeSpan.FromSeconds(1))
            .Concat(TestAudio.Tone(16000, TimeSpan.FromMilliseconds(50)))
            .Concat(TestAudio.Silence(16000, TimeSpan.FromSeconds(1))).ToArray();
        await stream.SendAllAsync(TestAudio.AsEvents(caller, 16000));
        await stream.SendAllAsync([TestEvents.ContentEnd(TestEvents.AudioContent), TestEvents.PromptEnd(), TestEvents.SessionEnd()]);
        await stream.EndInputAsync();

        Assert.Empty(await stream.ReadToEndAsync());
    }

    internal static short[] Pcm(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(bytes).ToArray();
    }

    private static int ZeroCrossings(ReadOnlySpan<short> samples)
    {
        var count = 0;
        for (var i = 1; i < samples.Length; i++)
        {
            if ((samples[i - 1] < 0) != (samples[i] < 0))
            {
                count++;
            }
        }

        return count;
    }
}
