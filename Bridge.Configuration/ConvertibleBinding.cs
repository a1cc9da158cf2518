using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>A setting whose text cannot become its property's type (<c>Calls:MaxConcurrent=abc</c>).</summary>
public sealed record UnconvertibleSetting(string Key, string Value, Type Expected)
{
    private const int ShownValueLength = 40;

    public string Message
    {
        get
        {
            var shown = Value.Length > ShownValueLength ? Value[..ShownValueLength] + "…" : Value;
            return $"{Key} is '{shown}', which is not {Describe(Expected)}.";
        }
    }

    private static string Describe(Type type) =>
        type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type)) :
        type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) ||
        type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) ? "a whole number" :
        type == typeof(double) || type == typeof(float) || type == typeof(decimal) ? "a number (such as 0.5)" :
        type == typeof(bool) ? "true or false" :
        type == typeof(TimeSpan) ? "a duration written as [d.]hh:mm:ss[.fff] (such as 00:01:30)" :
        type == typeof(Uri) ? "a URL" :
        "a " + type.Name;
}

/// <summary>
/// Binds a configuration section the way <c>ConfigurationBinder</c> does, except that a value that cannot be
/// converted is left out and reported instead of thrown: the binder stops at the first such value with an exception
/// (a stack trace at start, and every other bad setting unreported), where a service should name each bad key.
/// </summary>
public static class ConvertibleBinding
{
    private const int MaxDepth = 8;

    /// <summary>Binds every setting of <paramref name="section"/> that converts; returns those that do not.</summary>
    public static IReadOnlyList<UnconvertibleSetting> Bind(IConfigurationSection section, object options)
    {
        var unconvertible = Find(section, options.GetType());
        if (unconvertible.Count == 0)
        {
            section.Bind(options);
            return unconvertible;
        }

        var left = unconvertible.Select(s => s.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var convertible = new ConfigurationBuilder()
            .AddInMemoryCollection(section.AsEnumerable().Where(setting => !left.Contains(setting.Key)))
            .Build();
        convertible.GetSection(section.Path).Bind(options);
        return unconvertible;
    }

    /// <summary>The settings under <paramref name="section"/> that the binder could not convert to <paramref name="type"/>'s properties.</summary>
    public static IReadOnlyList<UnconvertibleSetting> Find(IConfigurationSection section, Type type)
    {
        var found = new List<UnconvertibleSetting>();
        CheckProperties(section, type, found, depth: 0);
        return found;
    }

    private static void CheckProperties(IConfigurationSection section, Type type, List<UnconvertibleSetting> found, int depth)
    {
        if (depth > MaxDepth)
        {
            return;
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetMethod is null)
            {
                continue;
            }
            var key = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;
            var settable = property.SetMethod is { IsPublic: true };
            CheckValue(section.GetSection(key), property.PropertyType, settable, found, depth + 1);
        }
    }

    private static void CheckValue(IConfigurationSection section, Type type, bool settable, List<UnconvertibleSetting> found, int depth)
    {
        if (type == typeof(string) || type == typeof(object))
        {
            return;
        }

        var underlying = Nullable.GetUnderlyingType(type);
        var converter = TypeDescriptor.GetConverter(underlying ?? type);
        if (converter.CanConvertFrom(typeof(string)))
        {
            // The binder leaves a nullable empty, and sets nothing through a property it cannot set.
            if (settable && section.Value is { } value && !(underlying is not null && value.Length == 0) && !Converts(converter, value))
            {
                found.Add(new UnconvertibleSetting(section.Path, value, underlying ?? type));
            }
            return;
        }

        if (ElementType(type) is { } element)
        {
            foreach (var child in section.GetChildren())
            {
                CheckValue(child, element, settable: true, found, depth + 1);
            }
            return;
        }

        if (type.IsClass)
        {
            CheckProperties(section, type, found, depth);
        }
    }

    private static bool Converts(TypeConverter converter, string value)
    {
        try
        {
            converter.ConvertFromString(null, CultureInfo.InvariantCulture, value);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>The element type of an array or a collection, the value type of a dictionary; null for anything else.</summary>
    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }
        var interfaces = type.IsInterface ? type.GetInterfaces().Prepend(type) : type.GetInterfaces();
        var dictionary = interfaces.FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        if (dictionary is not null)
        {
            return dictionary.GetGenericArguments()[1];
        }
        var enumerable = interfaces.FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }
}
