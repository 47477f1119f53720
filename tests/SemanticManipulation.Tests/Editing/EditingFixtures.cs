namespace SemanticManipulation.Tests.Editing;

/// <summary>Paths of the editing fixtures.</summary>
internal static class EditingFixtures
{
    /// <summary>The authors' published dissection of their church model (MIT, from the gandissect demo).</summary>
    public static string ChurchCatalog => Path.Combine(Fixture.Root, "reference", "ganpaint_church_layer4_units.json");
}
