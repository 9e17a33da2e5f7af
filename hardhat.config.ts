import "@nomicfoundation/hardhat-ethers";
import "@typechain/hardhat";
import { subtask, type HardhatUserConfig } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";

// The compiler comes from the `solc` npm package: Hardhat's own download cannot
// reach its server on these machines, and nothing may download at run time.
const SOLC_VERSION = "0.8.28";

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc");
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: args.solcVersion,
    longVersion: solc.version(),
  };
});

const config: HardhatUserConfig = {
  solidity: {
    compilers: [
      {
        version: SOLC_VERSION,
        settings: {
          optimizer: { enabled: true, runs: 10_000 },
          // `paris` avoids PUSH0 and transient storage, which Besu/QBFT networks on
          // older genesis configs (and most permissioned chains) do not run.
          evmVersion: "paris",
        },
      },
    ],
    overrides: {
      // The escrow's code must stay within 75% of the EIP-170 limit (docs/ESCROW.md, "Contract
      // structure"). The split into bases and libraries brought it from 23.5 to 20.8 kB at 10,000
      // runs; 500 runs lets the optimizer inline less and costs each move under 0.3% more gas.
      "contracts/DealEscrow.sol": {
        version: SOLC_VERSION,
        settings: { optimizer: { enabled: true, runs: 500 }, evmVersion: "paris" },
      },
    },
  },
  networks: {
    hardhat: {
      // Permissioned chains run at gas price zero; the tests do too.
      initialBaseFeePerGas: 0,
      hardfork: "merge",
    },
  },
  typechain: { outDir: "sdk/typechain", target: "ethers-v6" },
};

export default config;
