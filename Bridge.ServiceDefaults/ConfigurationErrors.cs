using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

public static class ConfigurationErrors
{
    /// <summary>
    /// Runs the app; a setting that fails validation at start stops it with one line per failure naming the key,
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
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures)
            {
                Console.Error.WriteLine($"Configuration error: {ExplainFailure(failure)}");
            }
            return 2;
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
