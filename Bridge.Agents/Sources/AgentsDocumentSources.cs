using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace Bridge.Agents.Sources;

/// <summary>Thrown when the profile document cannot be read; the message is one line saying why.</summary>
public sealed class AgentsSourceException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Reads the profile document from where <see cref="AgentsSourceLocation"/> says. The AWS clients are made on
/// demand (default credential chain and region, as everywhere in the worker), so a file source needs no AWS setup.
/// </summary>
public class AgentsDocumentSources
{
    /// <summary>A document larger than this is refused: SSM parameters hold at most 8 KB, and S3 objects could be anything.</summary>
    public const int MaxDocumentBytes = 1024 * 1024;

    public async Task<string> ReadAsync(AgentsSourceLocation location, string contentRoot, CancellationToken cancellationToken)
    {
        try
        {
            return location.Kind switch
            {
                AgentsSourceKind.File => await ReadFileAsync(Path.Combine(contentRoot, location.Path), cancellationToken).ConfigureAwait(false),
                AgentsSourceKind.SsmParameter => await ReadParameterAsync(location.Path, cancellationToken).ConfigureAwait(false),
                _ => await ReadObjectAsync(location.Bucket!, location.Path, cancellationToken).ConfigureAwait(false),
            };
        }
        catch (AgentsSourceException)
        {
            throw;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AgentsSourceException("the read timed out", e);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or UnauthorizedAccessException)
        {
            throw new AgentsSourceException(Describe(e), e);
        }
    }

    /// <summary>The SSM client; tests point it at a local server speaking SSM's JSON protocol.</summary>
    protected virtual IAmazonSimpleSystemsManagement CreateSsmClient() => new AmazonSimpleSystemsManagementClient();

    /// <summary>The S3 client; tests point it at a local server speaking S3's REST protocol.</summary>
    protected virtual IAmazonS3 CreateS3Client() => new AmazonS3Client();

    private static async Task<string> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new AgentsSourceException($"there is no file '{full}'");
        }
        if (new FileInfo(full).Length > MaxDocumentBytes)
        {
            throw new AgentsSourceException($"'{full}' is larger than {MaxDocumentBytes} bytes");
        }
        return await File.ReadAllTextAsync(full, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> ReadParameterAsync(string name, CancellationToken cancellationToken)
    {
        using var ssm = CreateSsmClient();
        var response = await ssm.GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = true }, cancellationToken).ConfigureAwait(false);
        return response.Parameter?.Value ?? throw new AgentsSourceException($"the parameter '{name}' has no value");
    }

    private async Task<string> ReadObjectAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        using var s3 = CreateS3Client();
        using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        if (response.ContentLength > MaxDocumentBytes)
        {
            throw new AgentsSourceException($"the object is larger than {MaxDocumentBytes} bytes");
        }
        using var reader = new StreamReader(response.ResponseStream, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Describe(Exception e) => e switch
    {
        ParameterNotFoundException => "no such parameter (check the name and the region)",
        AmazonS3Exception { ErrorCode: "NoSuchKey" } => "no such object",
        AmazonS3Exception { ErrorCode: "NoSuchBucket" } => "no such bucket",
        AmazonServiceException service when service.ErrorCode is { Length: > 0 } code =>
            $"{code}: {service.Message} (the task role needs ssm:GetParameter, kms:Decrypt for SecureString, or s3:GetObject; see docs/agents.md)",
        _ => e.Message,
    };
}
