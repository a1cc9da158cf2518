using Bridge.Emulator;

namespace Bridge.Tests.Tools.Emulator;

/// <summary>Loopback mode: every audioInput comes straight back as audioOutput at the output rate.</summary>
public sealed class LoopbackTests
{
    [Theory]
    [InlineData(8000, 16000)]
    [InlineData(16000, 24000)]
    [InlineData(8000, 8000)]
    public async Task Every_audio_input_comes_back_at_once_resampled_to_the_output_rate(int inputRate, int outputRate)
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.Mode = EmulatorMode.Loopback);
        await using var stream = await TestStream.OpenAsync(emulator);
        await stream.SendAllAsync(TestEvents.Opening(outputRate));
        await stream.SendAsync(TestEvents.AudioContentStart(inputRate));
        var caller = TestAudio.Tone(inputRate, TimeSpan.FromMilliseconds(320));

        var events = TestAudio.AsEvents(caller, inputRate).ToList();
        var seen = new List<ResponseFrame>();
        foreach (var audioInput in events)
        {
            await stream.SendAsync(audioInput);
            await stream.ReadUntilAsync(f => f.EventName == "audioOutput", seen, TimeSpan.FromSeconds(5));
        }

        await stream.SendAsync(TestEvents.ContentEnd(TestEvents.AudioContent));
        seen.Add((await stream.ReadAsync())!);

        Assert.Equal(events.Count, seen.Count(f => f.EventName == "audioOutput"));
        var returned = seen.Where(f => f.EventName == "audioOutput").Sum(f => EchoAgentTests.Pcm(f.Str("content")!).Length);
        Assert.InRange(returned, caller.Length * outputRate / inputRate - 2, caller.Length * outputRate / inputRate);
        Assert.Equal(["completionStart", "contentStart AUDIO ASSISTANT"], seen.Select(ConversationTests.Describe).Where(n => n != "audioOutput").Take(2));
        Assert.Equal("contentEnd AUDIO END_TURN", ConversationTests.Describe(seen[^1]));
        Assert.Equal(outputRate, seen.Single(f => f.EventName == "contentStart").Event.GetProperty("audioOutputConfiguration").GetProperty("sampleRateHertz").GetInt32());
    }

    [Fact]
    public async Task The_counters_follow_streams_and_frames()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.Mode = EmulatorMode.Loopback);
        await using (var stream = await TestStream.OpenAsync(emulator))
        {
            await stream.SendAllAsync(TestEvents.Opening(16000));
            await stream.SendAsync(TestEvents.AudioContentStart(16000));
            await stream.SendAllAsync(TestAudio.AsEvents(TestAudio.Tone(16000, TimeSpan.FromMilliseconds(64)), 16000));
            await stream.SendAllAsync([TestEvents.ContentEnd(TestEvents.AudioContent), TestEvents.PromptEnd(), TestEvents.SessionEnd()]);
            await stream.EndInputAsync();
            await stream.ReadToEndAsync();
        }

        await LimitsAndFaultsTests.WaitUntilAsync(() => emulator.Counters.OpenStreams == 0);
        Assert.Equal(1, emulator.Counters.StreamsOpened);
        Assert.Equal(5 + 1 + 2 + 3 + 1, emulator.Counters.FramesReceived);
        Assert.Equal(1 + 1 + 2 + 1 + 1, emulator.Counters.FramesSent);
        Assert.Equal(0, emulator.Counters.Errors);
    }

    [Fact]
    public async Task Stopping_the_emulator_ends_open_streams_without_waiting_for_their_clients()
    {
        var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator);
        await stream.SendAllAsync(TestEvents.Opening(16000));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await emulator.DisposeAsync();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"stopping took {clock.Elapsed}");
        Assert.Equal(0, emulator.Counters.OpenStreams);
    }
}
