namespace SemanticManipulation.Training.World.Layout;

/// <summary>The architectural type of a building, which decides its proportions and which parts it has.</summary>
internal enum BuildingKind
{
    /// <summary>A gable-fronted nave with a tower (spire, pyramid, onion, dome or battlements).</summary>
    Church,

    /// <summary>A broad church or basilica crowned by a drum and dome, sometimes with twin towers.</summary>
    DomedChurch,

    /// <summary>A small gable-fronted chapel, sometimes with a small central tower.</summary>
    Chapel,

    /// <summary>A house seen along its long side, with a hipped roof, rectangular windows and a chimney.</summary>
    House,

    /// <summary>A round, domed building.</summary>
    Rotunda,
}
