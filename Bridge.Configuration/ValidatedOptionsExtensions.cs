using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class ValidatedOptionsExtensions
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to a configuration section and validates it (data annotations,
    /// <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>) when the host starts, so a bad setting
    /// stops the service with its key named rather than failing at the first call.
    /// </summary>
    public static IServiceCollection AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string section) where T : class
    {
        services.AddOptions<T>().BindValidated(configuration.GetSection(section));
        return services;
    }

    /// <summary>
    /// Binds the options to <paramref name="section"/> and validates them when the host starts: a value that cannot
    /// be converted (<c>Calls:MaxConcurrent=abc</c>) is a validation failure naming its key, like any other bad value,
    /// instead of the binder's exception, and does not hide the other failures.
    /// </summary>
    public static OptionsBuilder<T> BindValidated<T>(this OptionsBuilder<T> options, IConfigurationSection section) where T : class
    {
        options.Configure(value => ConvertibleBinding.Bind(section, value));
        options.Services.AddSingleton<IOptionsChangeTokenSource<T>>(new ConfigurationChangeTokenSource<T>(options.Name, section));
        options.Services.AddSingleton<IValidateOptions<T>>(new ConvertibleSettingsValidation<T>(options.Name, section));
        return options.ValidateDataAnnotations().ValidateOnStart();
    }

    private sealed class ConvertibleSettingsValidation<T>(string name, IConfigurationSection section) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? optionsName, T options)
        {
            if (optionsName != name)
            {
                return ValidateOptionsResult.Skip;
            }
            var unconvertible = ConvertibleBinding.Find(section, typeof(T));
            return unconvertible.Count == 0
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(unconvertible.Select(setting => setting.Message));
        }
    }
}
