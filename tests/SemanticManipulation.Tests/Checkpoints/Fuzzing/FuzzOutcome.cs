namespace SemanticManipulation.Tests.Checkpoints.Fuzzing;

/// <summary>How a fuzz case ended. Only the first two are acceptable.</summary>
internal enum FuzzOutcome
{
    /// <summary>The file loaded.</summary>
    Loaded,

    /// <summary>A <c>CheckpointFormatException</c> whose one-line message starts with the file name.</summary>
    Refused,

    /// <summary>Any other exception type escaped.</summary>
    UnexpectedException,

    /// <summary>A <c>CheckpointFormatException</c> whose message does not start with the file name or spans lines.</summary>
    BadMessage,

    /// <summary>A hostile pickle loaded, or was refused without naming its global.</summary>
    HostileNotRefused,

    /// <summary>The case did not finish within the per-case timeout.</summary>
    Hang,
}
