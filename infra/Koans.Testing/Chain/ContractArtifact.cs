using System.Text.Json;

namespace Koans.Testing.Chain;

/// <summary>
/// A compiled contract from infra/chain/artifacts/&lt;Name&gt;.json (written by infra/chain/compile.js, solc 0.8.30):
/// its ABI (JSON) and its creation bytecode.
/// </summary>
public sealed record ContractArtifact(string Name, JsonElement Abi, byte[] Bytecode, byte[] DeployedBytecode, JsonElement StorageLayout)
{
    /// <summary>Loads KoansToken, TokenSale, ReceiveFallback, TimeLockVault or Reverter.</summary>
    public static ContractArtifact Load(string name)
    {
        var path = Path.Combine(AnvilFixture.FindRepositoryRoot().FullName, "infra", "chain", "artifacts", name + ".json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No artifact {path}: the contracts are compiled by `node infra/chain/compile.js`.", path);
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        return new ContractArtifact(
            name,
            root.GetProperty("abi").Clone(),
            Convert.FromHexString(root.GetProperty("bytecode").GetString()![2..]),
            Convert.FromHexString(root.GetProperty("deployedBytecode").GetString()![2..]),
            root.GetProperty("storageLayout").Clone());
    }
}
