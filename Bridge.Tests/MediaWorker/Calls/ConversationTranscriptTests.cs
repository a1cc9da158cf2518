using Bridge.MediaWorker.Calls;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.MediaWorker.Calls;

/// <summary>
/// The conversation as the operator's callback tells it: the agent's words as the person heard them (an interrupted
/// answer cut where it stopped playing, marked), the person's as transcribed, and a long call's opening and latest
/// turns kept within the bound, the ones between counted.
/// </summary>
public sealed class ConversationTranscriptTests
{
    private readonly FakeTimeProvider _time = new();

    private ConversationTranscript Transcript(int maxCharacters = 10_000) => new(maxCharacters, _time, _time.GetTimestamp());

    [Fact]
    public void Turns_come_in_order_with_who_spoke_and_when()
    {
        var transcript = Transcript();

        transcript.AgentSaid("Hello Ana, this is Example Dental.");
        _time.Advance(TimeSpan.FromSeconds(3.04));
        transcript.CalleeSaid("Yes, that works.");

        var (turns, omitted) = transcript.Complete();
        Assert.Equal(0, omitted);
        Assert.Equal(
            [new("agent", "Hello Ana, this is Example Dental.", 0, false), new ConversationTranscript.Turn("callee", "Yes, that works.", 3.0, false)],
            turns);
    }

    [Fact]
    public void An_answer_cut_short_keeps_what_was_heard_and_is_marked_interrupted()
    {
        var transcript = Transcript();
        transcript.AgentSaid("Your appointment is on Tuesday at 3 pm, and please bring your insurance card.");

        transcript.AgentCut("Your appointment is on Tuesday at 3 pm, and please bring your insurance card.", "Your appointment is on Tuesday…");
        transcript.CalleeSaid("Wait, which Tuesday?");

        var (turns, _) = transcript.Complete();
        Assert.Equal(new ConversationTranscript.Turn("agent", "Your appointment is on Tuesday…", 0, Interrupted: true), turns[0]);
        Assert.Equal("Wait, which Tuesday?", turns[1].Text);
    }

    [Fact]
    public void An_answer_cut_before_its_final_transcript_is_recorded_once_as_heard()
    {
        var transcript = Transcript();

        transcript.AgentCut("Let me check that for you right away.", "Let me check…");
        transcript.AgentSaid("Let me check that for you right away.");

        var turn = Assert.Single(transcript.Complete().Turns);
        Assert.Equal(("Let me check…", true), (turn.Text, turn.Interrupted));
    }

    [Fact]
    public void An_answer_cut_before_a_word_was_heard_is_left_out()
    {
        var transcript = Transcript();
        transcript.CalleeSaid("Hello?");
        transcript.AgentSaid("Good afternoon!");

        transcript.AgentCut("Good afternoon!", "");

        Assert.Equal(["Hello?"], transcript.Complete().Turns.Select(t => t.Text));
    }

    [Fact]
    public void A_long_call_keeps_its_opening_and_its_latest_turns_within_the_bound_and_counts_the_rest()
    {
        var transcript = Transcript(maxCharacters: 100);

        for (var i = 0; i < 20; i++)
        {
            transcript.CalleeSaid($"Turn number {i:00}."); // 15 characters each
        }

        var (turns, omitted) = transcript.Complete();
        Assert.Equal(["Turn number 00.", "Turn number 01.", "Turn number 02.", "Turn number 17.", "Turn number 18.", "Turn number 19."], turns.Select(t => t.Text));
        Assert.Equal(14, omitted);
        Assert.True(turns.Sum(t => t.Text.Length) <= 100);
    }

    [Fact]
    public void One_turn_longer_than_half_the_bound_is_shortened()
    {
        var transcript = Transcript(maxCharacters: 40);

        transcript.CalleeSaid(new string('a', 100));

        var turn = Assert.Single(transcript.Complete().Turns);
        Assert.Equal(new string('a', 19) + "…", turn.Text);
    }
}
