namespace SemanticManipulation.Tests.Checkpoints.Fuzzing;

/// <summary>Which public entry point reads a fuzz case.</summary>
internal enum FuzzLoader
{
    /// <summary><c>StateDictReader.Read</c> on a stream: the reader every checkpoint loader starts with.</summary>
    StateDict,

    /// <summary><c>ProGanGenerator.Load</c> on a file: reading, architecture inference and the copy into the network.</summary>
    Generator,

    /// <summary><c>NpyFile.Read</c> on a file.</summary>
    Npy,
}
