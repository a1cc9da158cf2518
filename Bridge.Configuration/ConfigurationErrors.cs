using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

public static class ConfigurationErrors
{
    /// <summary>The exit code of a service stopped by its configuration.</summary>
    public const int ExitCode = 2;

    /// <summary>
    /// Runs the app; settings that fail validation at start stop it with one line per failure naming the key,
    /// and exit code 2 — not a stack trace, and never a failure at the first call.
    /// </summary>
    public static int RunOrReportBadConfiguration(this WebApplication app)
    {
        try
        {
            // Validated here, before the host starts, so that a bad setting is not also logged with a stack trace.
            app.Services.GetService<IStartupValidator>()?.Validate();
            app.Run();
            return 0;
        }
        catch (Exception e) when (Explain(e) is { Count: > 0 } failures)
        {
            foreach (var failure in failures)
            {
                Console.Error.WriteLine($"Configuration error: {failure}");
            }
            return ExitCode;
        }
    }

    /// <summary>
    /// One line per bad setting in <paramref name="error"/>; empty when it is not (only) about configuration. Start-up
    /// validation throws one <see cref="OptionsValidationException"/> per options class, several in an
    /// <see cref="AggregateException"/>; a value the binder could not convert outside validated options arrives as
    /// the binder's <see cref="InvalidOperationException"/>, whose message names the key.
    /// </summary>
    public static IReadOnlyList<string> Explain(Exception error)
    {
        switch (error)
        {
            case OptionsValidationException validation:
                return validation.Failures.Select(ExplainFailure).ToList();
            case AggregateException aggregate:
                var inner = aggregate.InnerExceptions.Select(Explain).ToList();
                return inner.All(lines => lines.Count > 0) ? inner.SelectMany(lines => lines).ToList() : [];
            case InvalidOperationException when error.TargetSite?.DeclaringType == typeof(ConfigurationBinder):
                return [error.Message];
            default:
                return [];
        }
    }

    /// <summary>Data annotation failures arrive wrapped ("DataAnnotation validation failed for ... with the error: '...'"): keep the message.</summary>
    public static string ExplainFailure(string failure)
    {
        const string marker = "with the error: '";
        var start = failure.IndexOf(marker, StringComparison.Ordinal);
        return start < 0 ? failure : failure[(start + marker.Length)..].TrimEnd('.', '\'');
    }
}
