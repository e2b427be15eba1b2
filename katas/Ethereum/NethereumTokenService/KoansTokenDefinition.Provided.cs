using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Koans.Ethereum.NethereumTokenService;

// Provided: the "ContractDefinition" half of what Nethereum's code generator writes for
// infra/chain/contracts/KoansToken.sol (typed messages were ethereum.nethereum-contracts' lesson), and the exception
// the script throws. The service that uses them is the kata.

public class KoansTokenDeployment : ContractDeploymentMessage
{
    public KoansTokenDeployment()
        : base(string.Empty)
    {
    }

    public KoansTokenDeployment(string byteCode)
        : base(byteCode)
    {
    }

    [Parameter("string", "name_", 1)]
    public string Name { get; set; } = "";

    [Parameter("string", "symbol_", 2)]
    public string Symbol { get; set; } = "";

    [Parameter("uint256", "initialSupply", 3)]
    public BigInteger InitialSupply { get; set; }
}

[Function("balanceOf", "uint256")]
public class BalanceOfFunction : FunctionMessage
{
    [Parameter("address", "", 1)]
    public string Owner { get; set; } = "";
}

[Function("allowance", "uint256")]
public class AllowanceFunction : FunctionMessage
{
    [Parameter("address", "", 1)]
    public string Owner { get; set; } = "";

    [Parameter("address", "", 2)]
    public string Spender { get; set; } = "";
}

[Function("transfer", "bool")]
public class TransferFunction : FunctionMessage
{
    [Parameter("address", "to", 1)]
    public string To { get; set; } = "";

    [Parameter("uint256", "value", 2)]
    public BigInteger Value { get; set; }
}

[Function("approve", "bool")]
public class ApproveFunction : FunctionMessage
{
    [Parameter("address", "spender", 1)]
    public string Spender { get; set; } = "";

    [Parameter("uint256", "value", 2)]
    public BigInteger Value { get; set; }
}

[Function("transferFrom", "bool")]
public class TransferFromFunction : FunctionMessage
{
    [Parameter("address", "from", 1)]
    public string From { get; set; } = "";

    [Parameter("address", "to", 2)]
    public string To { get; set; } = "";

    [Parameter("uint256", "value", 3)]
    public BigInteger Value { get; set; }
}

[Event("Transfer")]
public class TransferEventDto : IEventDTO
{
    [Parameter("address", "from", 1, true)]
    public string From { get; set; } = "";

    [Parameter("address", "to", 2, true)]
    public string To { get; set; } = "";

    [Parameter("uint256", "value", 3, false)]
    public BigInteger Value { get; set; }
}

[Event("Approval")]
public class ApprovalEventDto : IEventDTO
{
    [Parameter("address", "owner", 1, true)]
    public string Owner { get; set; } = "";

    [Parameter("address", "spender", 2, true)]
    public string Spender { get; set; } = "";

    [Parameter("uint256", "value", 3, false)]
    public BigInteger Value { get; set; }
}

[Error("ERC20InsufficientBalance")]
public class Erc20InsufficientBalanceError : IErrorDTO
{
    [Parameter("address", "sender", 1)]
    public string Sender { get; set; } = "";

    [Parameter("uint256", "balance", 2)]
    public BigInteger Balance { get; set; }

    [Parameter("uint256", "needed", 3)]
    public BigInteger Needed { get; set; }
}

[Error("ERC20InsufficientAllowance")]
public class Erc20InsufficientAllowanceError : IErrorDTO
{
    [Parameter("address", "spender", 1)]
    public string Spender { get; set; } = "";

    [Parameter("uint256", "allowance", 2)]
    public BigInteger Allowance { get; set; }

    [Parameter("uint256", "needed", 3)]
    public BigInteger Needed { get; set; }
}

[Error("ERC20InvalidReceiver")]
public class Erc20InvalidReceiverError : IErrorDTO
{
    [Parameter("address", "receiver", 1)]
    public string Receiver { get; set; } = "";
}

/// <summary>A spender tried to move more than its allowance: the token's ERC20InsufficientAllowance, decoded.</summary>
public sealed class AllowanceExceededException(string spender, BigInteger allowance, BigInteger needed, Exception inner)
    : Exception($"{spender} may move {allowance} base units but asked for {needed}.", inner)
{
    public string Spender { get; } = spender;

    public BigInteger Allowance { get; } = allowance;

    public BigInteger Needed { get; } = needed;
}
