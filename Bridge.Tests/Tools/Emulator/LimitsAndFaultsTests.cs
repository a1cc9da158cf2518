using System.Diagnostics;
using System.Net;
using Amazon.Runtime.EventStreams;
using Bridge.Emulator.Faults;

namespace Bridge.Tests.Tools.Emulator;

/// <summary>The session limit and every fault, selected by option, by request header and by the in-process queue.</summary>
public sealed class LimitsAndFaultsTests
{
    [Fact]
    public async Task A_stream_that_outlives_the_session_limit_ends_with_a_model_timeout_exception()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.SessionLimit = TimeSpan.FromMilliseconds(600));
        await using var stream = await TestStream.OpenAsync(emulator);
        await stream.SendAllAsync(TestEvents.Opening(16000));
        var clock = Stopwatch.StartNew();

        var frames = await stream.ReadToEndAsync();

        Assert.Equal(ExceptionTypes.ModelTimeout, Assert.Single(frames).ExceptionType);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(300), $"ended after {clock.Elapsed}");
        await WaitUntilAsync(() => emulator.Counters.OpenStreams == 0);
    }

    [Fact]
    public async Task By_default_a_stream_ends_with_a_model_timeout_exception_after_eight_minutes_of_the_emulator_clock()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await Bridge.Emulator.EmulatorServer.StartAsync(new Bridge.Emulator.EmulatorOptions(), clock);
        await using var stream = await TestStream.OpenAsync(emulator);
        await stream.SendAllAsync(TestEvents.Opening(16000));
        await WaitUntilAsync(() => emulator.Counters.FramesReceived == 5);

        clock.Advance(TimeSpan.FromMinutes(8) - TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stream.ReadAsync(TimeSpan.FromMilliseconds(300)));
        clock.Advance(TimeSpan.FromSeconds(1));
        var frame = await stream.ReadAsync();

        Assert.Equal(ExceptionTypes.ModelTimeout, frame!.ExceptionType);
        Assert.Equal(ExceptionTypes.ModelTimeoutMessage, frame.Message);
    }

    [Fact]
    public async Task Throttle_refuses_the_open_with_429_ThrottlingException()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator, faults: "throttle");

        Assert.Equal(HttpStatusCode.TooManyRequests, stream.Response.StatusCode);
        Assert.Equal("ThrottlingException", stream.Response.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.Contains(ExceptionTypes.ThrottlingMessage, await stream.Response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, emulator.Counters.StreamsOpened);
    }

    [Fact]
    public async Task An_exception_fault_sends_the_instability_exception_after_the_given_number_of_events()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator, faults: "exception@2");

        await stream.SendAsync(TestEvents.SessionStart());
        var early = stream.ReadAsync(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => early);
        await using var second = await TestStream.OpenAsync(emulator, faults: "exception@2");
        await second.SendAllAsync([TestEvents.SessionStart(), TestEvents.PromptStart()]);
        var frames = await second.ReadToEndAsync();

        var exception = Assert.Single(frames);
        Assert.Equal(ExceptionTypes.ModelStreamError, exception.ExceptionType);
        Assert.Equal("System instability detected. Please retry your request.", exception.Message);
    }

    [Fact]
    public async Task A_queued_fault_applies_to_the_next_stream_only()
    {
        await using var emulator = await TestEmulator.StartAsync();
        emulator.Faults.InjectIntoNextStream("exception=internalServerException@1");

        await using var first = await TestStream.OpenAsync(emulator);
        await first.SendAsync(TestEvents.SessionStart());
        var firstFrames = await first.ReadToEndAsync();
        await using var second = await TestStream.OpenAsync(emulator);
        await second.SendAsync(TestEvents.SessionStart());

        Assert.Equal(ExceptionTypes.InternalServer, Assert.Single(firstFrames).ExceptionType);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.ReadAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(0, emulator.Faults.Pending);
    }

    [Fact]
    public async Task A_fault_in_the_options_applies_to_every_stream_and_can_fire_on_time()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.Faults = "exception=serviceUnavailableException@200ms");

        foreach (var _ in Enumerable.Range(0, 2))
        {
            await using var stream = await TestStream.OpenAsync(emulator);
            Assert.Equal(ExceptionTypes.ServiceUnavailable, Assert.Single(await stream.ReadToEndAsync()).ExceptionType);
        }
    }

    [Fact]
    public async Task A_reset_fault_aborts_the_http2_stream()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator, faults: "reset@2");
        await stream.SendAllAsync([TestEvents.SessionStart(), TestEvents.PromptStart()]);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => stream.ReadToEndAsync());

        Assert.True(error is HttpRequestException or IOException, error.ToString());
        Assert.Matches("(?i)internal_?error", error.ToString());
        await WaitUntilAsync(() => emulator.Counters.StreamsReset == 1 && emulator.Counters.OpenStreams == 0);
    }

    [Fact]
    public async Task A_corrupt_crc_fault_spoils_exactly_one_output_frame()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator, faults: "corrupt-crc");
        await stream.SendAllAsync(TestEvents.Opening(16000));
        await stream.SendAllAsync(TestEvents.InteractiveText("greeting-1", "Greet the caller."));

        var corrupt = (await stream.ReadRawAsync())!;
        var next = (await stream.ReadRawAsync())!;

        Assert.Throws<EventStreamChecksumFailureException>(() => EventStreamMessage.FromBuffer(corrupt, 0, corrupt.Length));
        Assert.Equal("contentStart", ResponseFrame.Decode(next).EventName);
    }

    [Fact]
    public async Task A_slow_fault_holds_back_every_output_frame()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator, faults: "slow=250ms");
        await stream.SendAllAsync(TestEvents.Opening(16000));
        await stream.SendAllAsync(TestEvents.InteractiveText("greeting-1", "Greet the caller."));

        await stream.ReadAsync();
        var clock = Stopwatch.StartNew();
        await stream.ReadAsync();
        await stream.ReadAsync();
        await stream.ReadAsync();

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(700), $"three frames took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_bad_fault_header_is_refused_with_a_400_naming_the_header()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator, faults: "explode");

        Assert.Equal(HttpStatusCode.BadRequest, stream.Response.StatusCode);
        Assert.Contains("x-emulator-fault", await stream.Response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_model_is_refused_with_a_validation_error()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator, modelId: "amazon.titan-text-express-v1");

        Assert.Equal(HttpStatusCode.BadRequest, stream.Response.StatusCode);
        Assert.Equal("ValidationException", stream.Response.Headers.GetValues("x-amzn-ErrorType").Single());
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the condition did not become true in time");
            await Task.Delay(20);
        }
    }
}
