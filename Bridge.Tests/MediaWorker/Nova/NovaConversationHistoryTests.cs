using System.Text;
using Bridge.MediaWorker.Nova;

namespace Bridge.Tests.MediaWorker.Nova;

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
}
