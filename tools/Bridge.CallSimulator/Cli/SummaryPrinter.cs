using System.Globalization;
using Bridge.TwilioStandIn.Calls;
using Bridge.TwilioStandIn.Media;
using Spectre.Console;
using Bridge.Audio;

namespace Bridge.CallSimulator.Cli;

/// <summary>Prints a call's summary as a table, then what Twilio did step by step.</summary>
public static class SummaryPrinter
{
    public static void Print(CallSummary summary, string? heardFile)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"Call {summary.CallSid}")
            .AddColumn("").AddColumn("").HideHeaders();
        Row(table, "Outcome", summary.Outcome);
        if (summary.Error is { } error)
        {
            Row(table, "Error", $"{error.Code}: {error.Problem}");
        }
        foreach (var warning in summary.Warnings)
        {
            Row(table, "Warning", $"{warning.Code}: {warning.Problem}");
        }

        if (summary.Stream is { } stream)
        {
            Row(table, "Stream", $"{summary.StreamSid}, {stream.Duration.TotalSeconds:0.00} s");
            Row(table, "Close", stream.End switch
            {
                StreamEnd.ServerClosed => $"server closed: {stream.CloseStatus} {stream.CloseDescription}",
                StreamEnd.ConnectionLost => $"connection lost: {stream.CloseDescription}",
                StreamEnd.MaxDuration => "caller hung up at --max-duration (stop sent)",
                _ => "caller hung up (stop sent)",
            });
            Row(table, "Frames sent", $"{stream.FramesSent} media, {stream.DtmfSent} dtmf");
            Row(table, "Time to first audio", Seconds(stream.TimeToFirstAudio));
            Row(table, "Reply after caller speech", Seconds(stream.ReplyLatency));
            Row(table, "Heard audio", Seconds(stream.HeardAudio));
            Row(table, "Audio received", $"{stream.MediaMessagesReceived} media messages, {stream.AudioBytesReceived / (double)TelephoneFrame.SampleRate:0.00} s");
            Row(table, "Interruptions (clear)", $"{stream.Clears}, dropping {stream.DroppedAudio.TotalSeconds:0.00} s");
            Row(table, "Unplayed at the end", Seconds(stream.UnplayedAudio));
            Row(table, "Marks", $"{stream.MarksReceived} received, {stream.MarksEchoed} echoed");
            Row(table, "Invalid messages", stream.Warnings.Count == 0
                ? "none"
                : string.Join("; ", stream.Warnings.GroupBy(w => w.Code).Select(g => $"{g.Key} x{g.Count()} (first: {g.First().Problem})")));
            foreach (var note in stream.Notes)
            {
                Row(table, "Note", note);
            }
            if (heardFile is not null && stream.HeardMuLaw.Length > 0)
            {
                Row(table, "Heard audio written to", heardFile);
            }
        }
        AnsiConsole.Write(table);

        AnsiConsole.MarkupLine("[bold]What Twilio did[/]");
        foreach (var step in summary.Steps)
        {
            AnsiConsole.WriteLine("  " + step);
        }
    }

    private static void Row(Table table, string name, string value) =>
        table.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), new Text(value));

    private static string Seconds(TimeSpan? value) =>
        value is { } v ? v.TotalSeconds.ToString("0.000 's'", CultureInfo.InvariantCulture) : "—";
}
