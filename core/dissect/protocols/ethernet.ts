// placeholder: filled by the protocol engine work (see core/dissect/context.ts for the contracts)
export {};
