// The scenario being built before it is simulated: the Segments and Rules screens put a change here
// ("simulate this change") and the Simulation screen picks it up. UI state only; saving goes through the API.
import { create } from 'zustand'
import type { ScenarioInput } from '../../../shared/scenario-schema'

interface ScenarioDraftState {
  draft?: ScenarioInput
  setDraft: (draft: ScenarioInput | undefined) => void
}

export const useScenarioDraft = create<ScenarioDraftState>((set) => ({
  draft: undefined,
  setDraft: (draft) => set({ draft }),
}))
