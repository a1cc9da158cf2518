using System.Text;
using Bridge.NovaSonic;

namespace Bridge.Tests.NovaSonic;

public sealed class NovaConversationHistoryTests
{
    [Fact]
    public void A_long_turn_is_split_into_pieces_of_at_most_one_kilobyte_that_join_back_to_it()
    {
        var text = string.Join(' ', Enumerable.Range(0, 600).Select(i => $"wörd{i}"));

        var pieces = NovaConversationHistory.Split(text);

        Assert.True(pieces.Count >= 4);
        Assert.All(pieces, p => Assert.InRange(Encoding.UTF8.GetByteCount(p), 1, NovaConversationHistory.MaxTextInputBytes));
        Assert.Equal(text, string.Concat(pieces));
    }

    [Fact]
    public void History_for_a_new_stream_keeps_the_newest_turns_within_the_limit_and_starts_with_the_user()
    {
        var history = new NovaConversationHistory();
        for (var i = 0; i < 100; i++)
        {
            history.Add(NovaRole.User, $"question {i} " + new string('q', 500));
            history.Add(NovaRole.Assistant, $"answer {i} " + new string('a', 500));
        }

        var kept = history.ForNewStream();

        Assert.Equal(NovaRole.User, kept[0].Role);
        Assert.InRange(kept.Sum(t => Encoding.UTF8.GetByteCount(t.Text)), 30_000, NovaConversationHistory.MaxHistoryBytes);
        Assert.StartsWith("answer 99 ", kept[^1].Text);
    }

    [Fact]
    public void A_conversation_the_assistant_opened_drops_its_greeting_from_history()
    {
        var history = new NovaConversationHistory();
        history.Add(NovaRole.Assistant, "Hello, how can I help?");
        history.Add(NovaRole.User, "I need a taxi");
        history.Add(NovaRole.User, "to the station");
        history.Add(NovaRole.Assistant, "Sure.");

        Assert.Equal(
            [new NovaTurn(NovaRole.User, "I need a taxi to the station"), new NovaTurn(NovaRole.Assistant, "Sure.")],
            history.ForNewStream());
    }

    [Fact]
    public void Truncating_keeps_only_what_was_heard_of_the_last_assistant_turn()
    {
        var history = new NovaConversationHistory();
        history.Add(NovaRole.User, "What are your hours?");
        history.Add(NovaRole.Assistant, "Hello.");
        history.Add(NovaRole.Assistant, "We open at nine and close at five.");

        Assert.True(history.Truncate(NovaRole.Assistant, "We open at nine and close at five.", "We open at"));

        Assert.Equal(new NovaTurn(NovaRole.Assistant, "Hello. We open at"), history.Turns[^1]);
    }

    [Fact]
    public void Truncating_to_nothing_removes_the_turn_and_a_turn_that_does_not_match_is_left_alone()
    {
        var history = new NovaConversationHistory();
        history.Add(NovaRole.User, "Hi");
        history.Add(NovaRole.Assistant, "Good morning, how can I help?");

        Assert.False(history.Truncate(NovaRole.Assistant, "Something else entirely.", "Some"));
        Assert.False(history.Truncate(NovaRole.User, "Hi", ""));
        Assert.True(history.Truncate(NovaRole.Assistant, "Good morning, how can I help?", ""));

        Assert.Equal([new NovaTurn(NovaRole.User, "Hi")], history.Turns);
    }
}
