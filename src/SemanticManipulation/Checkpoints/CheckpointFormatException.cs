namespace SemanticManipulation.Checkpoints;

/// <summary>
/// A checkpoint or array file cannot be read: it is truncated, corrupt, in an unsupported format, or holds something
/// other than what was expected. The message names the file and says what is wrong.
/// </summary>
public sealed class CheckpointFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CheckpointFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong, naming the file.</param>
    public CheckpointFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What is wrong, naming the file.</param>
    /// <param name="innerException">The underlying cause.</param>
    public CheckpointFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a specific file.</summary>
    /// <param name="message">What is wrong, naming the file.</param>
    /// <param name="filePath">The file (or the display name of the stream) that could not be read.</param>
    /// <param name="inner">The underlying cause, if any.</param>
    public CheckpointFormatException(string message, string? filePath, Exception? inner = null)
        : base(message, inner)
    {
        FilePath = filePath;
    }

    /// <summary>The file (or the display name of the stream) that could not be read, when known.</summary>
    public string? FilePath { get; }
}
