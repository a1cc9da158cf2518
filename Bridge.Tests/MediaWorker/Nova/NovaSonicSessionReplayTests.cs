using Bridge.MediaWorker.Bedrock;
using Bridge.MediaWorker.Nova;
using static Bridge.Tests.MediaWorker.Nova.EmulatedNova;

namespace Bridge.Tests.MediaWorker.Nova;

/// <summary>
/// What the next stream is given when a stream breaks mid-conversation: the conversation as history, plus a replay of
/// the caller's words that history does not hold yet — never both, or the caller is heard twice.
/// </summary>
public sealed class NovaSonicSessionReplayTests
{
    private readonly ScriptedNovaModel _model = new();
    private readonly List<NovaOutputEvent> _seen = [];

    [Fact]
    public async Task Words_no_stream_transcribed_are_replayed_from_their_start()
    {
        await using var session = _model.StartSession();
        var first = await _model.Stream(1);
        var said = Speech(TimeSpan.FromSeconds(0.7));
        Say(session, said);

        first.Fails(new BedrockTransientException("modelStreamErrorException", "System instability detected."));
        var next = await _model.Stream(2);
        await NextAsync<NovaStreamRenewed>(session, _seen);

        Assert.Empty(next.History);
        Assert.Equal(said, next.Audio);
    }
}
