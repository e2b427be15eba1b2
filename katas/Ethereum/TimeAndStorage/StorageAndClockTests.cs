using System.Numerics;
using System.Security.Cryptography;
using Koans.Testing.Chain;
using Nethereum.ABI;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Util;
using Nethereum.Web3;

[assembly: AssemblyFixture(typeof(AnvilFixture))]
// evm_snapshot / evm_revert and evm_increaseTime are chain-wide: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Koans.Ethereum.TimeAndStorage;

public class StorageAndClockTests(AnvilFixture chain) : ChainTest(chain)
{
    // infra/chain/contracts/TimeLockVault.sol: constructor(uint256 lockSeconds, bytes32 secret_) payable;
    // storage (artifact storageLayout): slot 0 owner, slot 1 unlockTime, slot 2 secret (private).
    private static readonly ContractArtifact Vault = ContractArtifact.Load("TimeLockVault");

    // infra/chain/contracts/KoansToken.sol: constructor(string, string, uint256); balanceOf is a mapping at slot 3.
    private static readonly ContractArtifact Token = ContractArtifact.Load("KoansToken");

    private const long LockSeconds = 3600;
    private static readonly BigInteger Deposit = BigInteger.Pow(10, 18);

    // Moves the clock and needs snapshots: skipped (with the reason) on KOANS_CHAIN=rpc.
    protected override bool RequiresCheats => true;

    private Web3 As(string key) => new(new Nethereum.Web3.Accounts.Account(key, AnvilAccounts.ChainId), Chain.RpcUrl.ToString());

    private Web3 OwnerWeb3 => As(OwnerKey);

    private StorageAndClock Subject => new(OwnerWeb3);

    private string OwnerKey => Chain.PrivateKeys[0];

    private string Owner => new Nethereum.Web3.Accounts.Account(OwnerKey).Address;

    private static string Selector(string signature) => "0x" + Sha3Keccack.Current.CalculateHash(signature)[..8];

    private async Task<BigInteger> BalanceAsync(string address) => (await OwnerWeb3.Eth.GetBalance.SendRequestAsync(address)).Value;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // ---- Setup helpers (provided), on Nethereum through the artifacts' ABI JSON. ----

    private async Task<(string Address, TransactionReceipt Receipt)> DeployVaultAsync(byte[] secret)
    {
        var receipt = await OwnerWeb3.Eth.DeployContract.SendRequestAndWaitForReceiptAsync(
            Vault.Abi.GetRawText(), "0x" + Convert.ToHexStringLower(Vault.Bytecode), Owner, new HexBigInteger(1_000_000), new HexBigInteger(Deposit), Ct,
            new BigInteger(LockSeconds), secret);
        receipt.Status.Value.Should().Be(BigInteger.One, "the vault's constructor only stores its arguments");
        return (receipt.ContractAddress, receipt);
    }

    private Task<T> ViewAsync<T>(string contract, ContractArtifact artifact, string function) =>
        OwnerWeb3.Eth.GetContract(artifact.Abi.GetRawText(), contract).GetFunction(function).CallAsync<T>();

    private async Task<BigInteger> BlockTimestampAsync(HexBigInteger blockNumber) =>
        (await OwnerWeb3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new BlockParameter(blockNumber))).Timestamp.Value;

    [Fact]
    public async Task The_private_secret_is_read_from_its_storage_slot_by_anyone()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var (vault, _) = await DeployVaultAsync(secret);

        var slot = StorageAndClock.SlotOf(Vault.StorageLayout, "secret");
        var word = await Subject.ReadSlotAsync(vault, slot, Ct);

        slot.Should().Be(new BigInteger(2), "TimeLockVault's storageLayout puts secret after owner (slot 0) and unlockTime (slot 1)");
        word.Should().Equal(secret,
            "`bytes32 private secret` only hides it from other contracts' Solidity: every node stores it in the clear and eth_getStorageAt hands it to anyone");
    }

    [Fact]
    public async Task The_owner_and_the_unlock_time_decode_from_their_words()
    {
        var (vault, receipt) = await DeployVaultAsync(RandomNumberGenerator.GetBytes(32));
        var subject = Subject;

        var owner = StorageAndClock.WordToAddress(await subject.ReadSlotAsync(vault, StorageAndClock.SlotOf(Vault.StorageLayout, "owner"), Ct));
        var unlockTime = StorageAndClock.WordToUInt256(await subject.ReadSlotAsync(vault, StorageAndClock.SlotOf(Vault.StorageLayout, "unlockTime"), Ct));

        owner.Should().Be(Owner.ToLowerInvariant(), "an address is the last 20 bytes of its 32-byte word, and the constructor stored msg.sender");
        unlockTime.Should().Be(await ViewAsync<BigInteger>(vault, Vault, "unlockTime"), "the storage word and the public getter read the same slot");
        unlockTime.Should().Be(await BlockTimestampAsync(receipt.BlockNumber) + LockSeconds, "the constructor set unlockTime = block.timestamp + lockSeconds");
    }

    [Fact]
    public async Task A_mapping_entry_lives_at_keccak_of_the_padded_key_and_the_mapping_slot()
    {
        var token = (await OwnerWeb3.Eth.DeployContract.SendRequestAndWaitForReceiptAsync(
            Token.Abi.GetRawText(), "0x" + Convert.ToHexStringLower(Token.Bytecode), Owner, new HexBigInteger(3_000_000), Ct,
            "Koans Token", "KOAN", BigInteger.Pow(10, 24))).ContractAddress;
        var holder = "0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        await OwnerWeb3.Eth.GetContract(Token.Abi.GetRawText(), token).GetFunction("transfer")
            .SendTransactionAndWaitForReceiptAsync(Owner, new HexBigInteger(200_000), null, Ct, holder, new BigInteger(12345));

        var mappingSlot = StorageAndClock.SlotOf(Token.StorageLayout, "balanceOf");
        var entrySlot = StorageAndClock.MappingSlot(holder, mappingSlot);
        var subject = Subject;

        mappingSlot.Should().Be(new BigInteger(3), "KoansToken declares name, symbol, totalSupply, then balanceOf (decimals is a constant: no slot)");
        entrySlot.Should().Be(new BigInteger(Sha3Keccack.Current.CalculateHash(new ABIEncode().GetABIEncoded(new ABIValue("address", holder), new ABIValue("uint256", mappingSlot))), isUnsigned: true, isBigEndian: true),
            "Solidity docs, 'Mappings and Dynamic Arrays': the value for key k is at keccak256(h(k) . p)");
        StorageAndClock.WordToUInt256(await subject.ReadSlotAsync(token, entrySlot, Ct)).Should().Be(new BigInteger(12345),
            "that slot holds balanceOf[holder], the 12345 base units just transferred");
        StorageAndClock.WordToUInt256(await subject.ReadSlotAsync(token, mappingSlot, Ct)).Should().Be(BigInteger.Zero,
            "the mapping's own slot only seeds the hash: it stays empty");
    }

    [Fact]
    public async Task Withdrawing_before_the_unlock_time_fails_with_the_decoded_StillLocked_error()
    {
        var (vault, _) = await DeployVaultAsync(RandomNumberGenerator.GetBytes(32));
        var unlockTime = await ViewAsync<BigInteger>(vault, Vault, "unlockTime");

        var act = () => Subject.WithdrawAsync(vault, Ct);

        var locked = (await act.Should().ThrowAsync<StillLockedException>(
            "the gas estimate runs withdraw(), which reverts with StillLocked(block.timestamp, unlockTime); its data is the selector 0x41344244 and two words")).Which;
        locked.UnlockTime.Should().Be(unlockTime, "the second argument of StillLocked is the vault's unlockTime");
        locked.CurrentTime.Should().BeLessThan(unlockTime, "the first argument is the block time the withdrawal was tried at");
        (await BalanceAsync(vault)).Should().Be(Deposit, "nothing left the vault");
    }

    [Fact]
    public async Task After_moving_the_clock_past_the_unlock_time_the_owner_withdraws_the_deposit()
    {
        var (vault, _) = await DeployVaultAsync(RandomNumberGenerator.GetBytes(32));
        var unlockTime = await ViewAsync<BigInteger>(vault, Vault, "unlockTime");
        var subject = Subject;

        var now = await subject.AdvanceTimeAsync(LockSeconds, Ct);

        ((BigInteger)now).Should().BeGreaterThanOrEqualTo(unlockTime, "evm_increaseTime shifted the clock by the lock period and evm_mine made a block with the new time");
        (await ViewAsync<bool>(vault, Vault, "isUnlocked")).Should().BeTrue("isUnlocked() is block.timestamp >= unlockTime");

        var before = await BalanceAsync(Owner);
        var receipt = await subject.WithdrawAsync(vault, Ct);

        receipt.Status.Value.Should().Be(BigInteger.One);
        (await BalanceAsync(vault)).Should().Be(BigInteger.Zero, "withdraw() sends the whole balance");
        (await BalanceAsync(Owner)).Should().Be(before + Deposit - (receipt.GasUsed.Value * receipt.EffectiveGasPrice.Value),
            "the owner receives the deposit and pays gasUsed * effectiveGasPrice for the withdrawal, to the wei");
    }

    [Fact]
    public async Task A_negative_time_delta_is_rejected_before_reaching_the_node()
    {
        var subject = Subject;
        var block = (await OwnerWeb3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;

        var act = () => subject.AdvanceTimeAsync(-60, Ct);

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>("block timestamps never decrease; a lock cannot be re-locked by winding the clock back");
        (await OwnerWeb3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value.Should().Be(block, "nothing was mined");
    }

    [Fact]
    public void An_unknown_variable_name_is_rejected_rather_than_guessed()
    {
        var act = () => StorageAndClock.SlotOf(Vault.StorageLayout, "password");

        act.Should().Throw<ArgumentException>("TimeLockVault has no variable 'password'; a guessed slot would read another variable's bytes and look valid")
            .WithMessage("*password*");
    }

    [Fact]
    public async Task A_slot_outside_256_bits_is_rejected_before_any_request()
    {
        var (vault, _) = await DeployVaultAsync(RandomNumberGenerator.GetBytes(32));
        var subject = Subject;

        var negative = () => subject.ReadSlotAsync(vault, BigInteger.MinusOne, Ct);
        var tooLarge = () => subject.ReadSlotAsync(vault, BigInteger.One << 256, Ct);

        await negative.Should().ThrowAsync<ArgumentOutOfRangeException>("slots are uint256: there is no slot -1");
        await tooLarge.Should().ThrowAsync<ArgumentOutOfRangeException>("slots are uint256: 2^256 does not fit");
    }

    [Fact]
    public async Task A_stranger_cannot_withdraw_even_after_the_unlock_time()
    {
        var (vault, _) = await DeployVaultAsync(RandomNumberGenerator.GetBytes(32));
        await Subject.AdvanceTimeAsync(LockSeconds, Ct);
        var stranger = new StorageAndClock(As(Chain.PrivateKeys[1]));

        var act = () => stranger.WithdrawAsync(vault, Ct);

        var refused = (await act.Should().ThrowAsync<RpcResponseException>("the lock is open, but withdraw() reverts with NotOwner(msg.sender) for anyone but the owner")).Which;
        refused.RpcError.GetDataAsString().Should().StartWith(Selector("NotOwner(address)"),
            "the revert data starts with the selector of NotOwner(address), not StillLocked");
        (await BalanceAsync(vault)).Should().Be(Deposit);
    }
}
