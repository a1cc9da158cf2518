using Bridge.Bedrock;
using Bridge.NovaSonic;
using static Bridge.Tests.NovaSonic.EmulatedNova;

namespace Bridge.Tests.NovaSonic;

/// <summary>
/// What the next stream is given when a stream breaks mid-conversation: the conversation as history, plus a replay of
/// the caller's words that history does not hold yet — never both, or the caller is heard twice.
/// </summary>
public sealed class NovaSonicSessionReplayTests
{
    private static readonly BedrockTransientException Broken = new("modelStreamErrorException", "System instability detected.");

    private readonly ScriptedNovaModel _model = new();
    private readonly List<NovaOutputEvent> _seen = [];

    [Theory]
    [InlineData(0.5)] // the model ended the caller's turn before their pause was long enough to count as one
    [InlineData(1.3)] // a pause long enough, but all of it in one burst of late frames, in no time on the clock
    public async Task Words_the_model_transcribed_are_not_replayed_to_the_next_stream(double pauseSeconds)
    {
        await using var session = _model.StartSession();
        var first = await _model.Stream(1);

        // "Hello?" and a pause; the model hears it and starts its answer.
        Say(session, Speech(TimeSpan.FromSeconds(1)), Silence(TimeSpan.FromSeconds(pauseSeconds)));
        first.Heard("Hello?");
        first.StartsAnswering("Hello! How can I help?");
        first.Speaks(4_000);
        await NextAsync<NovaAudioOutput>(session, _seen);

        first.Fails(Broken);
        var next = await _model.Stream(2);
        var renewed = await NextAsync<NovaStreamRenewed>(session, _seen);

        // "Hello?" is in the next stream's history; hearing it again too, it would answer it twice.
        Assert.Contains(new NovaTurn(NovaRole.User, "Hello?"), next.History);
        Assert.Equal(0, renewed.BufferedSamples);
        Assert.Empty(next.Audio);
    }

    [Fact]
    public async Task What_the_caller_said_after_the_models_last_transcript_of_them_is_replayed()
    {
        await using var session = _model.StartSession();
        var first = await _model.Stream(1);
        Say(session, Speech(TimeSpan.FromSeconds(1)), Silence(TimeSpan.FromSeconds(0.5)));
        first.Heard("Hello?");
        await NextAsync<NovaTranscript>(session, _seen);

        // The caller goes on before the model answers; the stream breaks while they speak.
        var more = Speech(TimeSpan.FromSeconds(0.4));
        Say(session, more);
        first.Fails(Broken);
        var next = await _model.Stream(2);
        var renewed = await NextAsync<NovaStreamRenewed>(session, _seen);

        Assert.Equal([new NovaTurn(NovaRole.User, "Hello?")], next.History);
        Assert.Equal(more.Length, renewed.BufferedSamples);
        Assert.Equal(AsReplayed(more), next.Audio);
    }

    [Fact]
    public async Task Words_no_stream_transcribed_are_replayed_from_their_start()
    {
        await using var session = _model.StartSession();
        var first = await _model.Stream(1);
        var said = Speech(TimeSpan.FromSeconds(0.7));
        Say(session, said);

        first.Fails(Broken);
        var next = await _model.Stream(2);
        await NextAsync<NovaStreamRenewed>(session, _seen);

        Assert.Empty(next.History);
        Assert.Equal(AsReplayed(said), next.Audio);
    }
}
