using Bridge.NovaSonic;

namespace Bridge.Tests.NovaSonic;

public sealed class AssistantSpeechTests
{
    private readonly NovaConversationHistory _history = new([new NovaTurn(NovaRole.User, "Hello?")]);
    private readonly AssistantSpeech _speech;

    public AssistantSpeechTests() => _speech = new AssistantSpeech(_history);

    [Fact]
    public void Words_already_in_the_history_are_cut_back_to_what_was_heard()
    {
        _speech.Said("Hi there, how can I help?");

        _speech.Interrupted("Hi there, how can I help?", "Hi there…");

        Assert.Equal(new NovaTurn(NovaRole.Assistant, "Hi there…"), _history.Turns[^1]);
    }

    [Fact]
    public void Words_not_yet_in_the_history_go_in_as_heard()
    {
        _speech.Planned("Hi there, how can I help?");

        _speech.Interrupted("Hi there, how can I help?", "Hi there…");

        Assert.Equal(new NovaTurn(NovaRole.Assistant, "Hi there…"), _history.Turns[^1]);
    }

    [Fact]
    public void Words_heard_whole_stay_whole_and_words_not_heard_at_all_stay_out()
    {
        _speech.Said("Hi there.");
        _speech.Interrupted("Hi there.", "Hi there.");
        _speech.Planned("And one more thing.");
        _speech.Interrupted("And one more thing.", "");

        Assert.Equal([new NovaTurn(NovaRole.User, "Hello?"), new NovaTurn(NovaRole.Assistant, "Hi there.")], _history.Turns);
    }

    [Fact]
    public void A_final_transcript_the_player_has_not_seen_yet_is_still_cut_back_not_doubled()
    {
        // The session reads the model ahead of the player: the FINAL transcript is in the history already when the
        // player, which knew only the plan, reports the interruption.
        _speech.Planned("Hi there, how can I help?");
        _speech.Said("Hi there, how can I help?");

        _speech.Interrupted("Hi there, how can I help?", "Hi there…");

        Assert.Equal([new NovaTurn(NovaRole.User, "Hello?"), new NovaTurn(NovaRole.Assistant, "Hi there…")], _history.Turns);
    }

    [Fact]
    public void A_stream_replaced_mid_answer_records_the_answer_once_even_if_its_final_transcript_comes_later()
    {
        _speech.Planned("Let me check that.");
        _speech.Spoke();

        _speech.StreamReplaced();
        _speech.Said("Let me check that.");

        Assert.Equal([new NovaTurn(NovaRole.User, "Hello?"), new NovaTurn(NovaRole.Assistant, "Let me check that.")], _history.Turns);
    }
}
