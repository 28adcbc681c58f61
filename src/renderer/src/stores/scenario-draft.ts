// The scenario being built before it is simulated: the Segments and Rules screens put a change here
// ("simulate this change") and the Simulation screen picks it up. UI state only.
// Placeholder until the simulation branch's version (typed with ScenarioInput) is merged: same shape.
import { create } from 'zustand'

interface ScenarioDraftState {
  draft?: unknown
  setDraft: (draft: unknown) => void
}

export const useScenarioDraft = create<ScenarioDraftState>((set) => ({
  draft: undefined,
  setDraft: (draft) => set({ draft }),
}))
